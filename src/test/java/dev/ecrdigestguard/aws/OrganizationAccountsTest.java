package dev.ecrdigestguard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** ListAccounts as Organizations answers it on the wire (WireMock): signed, paged, filtered, failures explained. */
class OrganizationAccountsTest {

    static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";

    WireMockServer organizations;
    OrganizationAccounts accounts;

    @BeforeEach
    void start() {
        organizations = new WireMockServer(options().dynamicPort());
        organizations.start();
        accounts = new OrganizationAccounts(AwsClients.http(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAMANAGEMENT", "secret")),
                URI.create(organizations.baseUrl()), "us-east-1");
    }

    @AfterEach
    void stop() {
        organizations.stop();
    }

    @Test
    void activeAccounts_readsEveryPage_andKeepsActiveAccountsOnly() {
        organizations.stubFor(post("/").withHeader("X-Amz-Target", equalTo(TARGET))
                .withRequestBody(equalToJson("{\"MaxResults\":20}"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("""
                                {"Accounts":[{"Id":"111111111111","Status":"ACTIVE"},
                                             {"Id":"222222222222","Status":"SUSPENDED"}],
                                 "NextToken":"page-2"}""")));
        organizations.stubFor(post("/").withHeader("X-Amz-Target", equalTo(TARGET))
                .withRequestBody(equalToJson("{\"MaxResults\":20,\"NextToken\":\"page-2\"}"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("""
                                {"Accounts":[{"Id":"333333333333","State":"ACTIVE","Status":"ACTIVE"},
                                             {"Id":"444444444444","State":"PENDING_CLOSURE","Status":"ACTIVE"}]}""")));

        assertThat(accounts.activeAccounts()).containsExactly("111111111111", "333333333333");
        assertThat(organizations.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2).allSatisfy(request ->
                assertThat(request.getHeader("Authorization"))
                        .startsWith("AWS4-HMAC-SHA256 Credential=AKIAMANAGEMENT/")
                        .contains("/us-east-1/organizations/aws4_request"));
    }

    @Test
    void activeAccounts_notTheManagementAccount_saysWhereToRunIt() {
        organizations.stubFor(post("/").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("""
                        {"__type":"AccessDeniedException","Message":"You don't have permissions to access this resource."}
                        """)));

        assertThatThrownBy(() -> accounts.activeAccounts())
                .isInstanceOfSatisfying(OrganizationAccounts.ListingFailed.class, failed -> {
                    assertThat(failed.retryable()).isFalse();
                    assertThat(failed.getMessage()).isEqualTo("organizations:ListAccounts failed: "
                            + "AccessDeniedException (HTTP 400): You don't have permissions to access this resource. "
                            + "— run it with credentials of the organization's management account or of a delegated "
                            + "administrator, or name the accounts with --accounts");
                });
        assertThat(organizations.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);
    }

    @Test
    void activeAccounts_throttled_triesAgain() {
        organizations.stubFor(post("/").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withBody(
                        "{\"__type\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\"}"))
                .willSetStateTo("calm"));
        organizations.stubFor(post("/").inScenario("throttle").whenScenarioStateIs("calm")
                .withHeader("X-Amz-Target", matching(".*ListAccounts"))
                .withRequestBody(containing("MaxResults"))
                .willReturn(aResponse().withStatus(200).withBody("{\"Accounts\":[{\"Id\":\"111111111111\","
                        + "\"Status\":\"ACTIVE\"}]}")));

        assertThat(accounts.activeAccounts()).containsExactly("111111111111");
        assertThat(organizations.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
    }
}
