package dev.ecrdigestguard.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.AccountRegion;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A member account's client when the guard can't tell who it is itself: the real STS client against a local STS
 * (WireMock) whose {@code GetCallerIdentity} fails. The failure is the guard's own identity, said as such — not a
 * member role refused, with or without a role set.
 */
class MemberAccessTest {

    static final AwsCredentialsProvider EXPIRED =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("EXPIREDKEY", "expired-secret"));

    WireMockServer sts;
    StsClient client;

    @BeforeEach
    void start() {
        sts = new WireMockServer(options().dynamicPort());
        sts.start();
        client = StsClient.builder().endpointOverride(URI.create(sts.baseUrl())).region(Region.EU_WEST_1)
                .credentialsProvider(EXPIRED).httpClient(AwsClients.http()).build();
        sts.stubFor(post("/").withRequestBody(containing("Action=GetCallerIdentity")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error>
                          <RequestId>1</RequestId>
                        </ErrorResponse>""")));
    }

    @AfterEach
    void stop() {
        client.close();
        sts.stop();
    }

    AccountRegionClients<SdkAutoCloseable> clients(Optional<MemberRole> role) {
        return new AccountRegionClients<>(new AccountCredentials(() -> client, Optional::empty, EXPIRED, role),
                (provider, region) -> () -> { });
    }

    @Test
    void client_whenTheGuardsOwnIdentityCannotBeRead_saysGetCallerIdentity_notAssumeRole() {
        for (Optional<MemberRole> role : java.util.List.of(Optional.<MemberRole>empty(),
                Optional.of(new MemberRole("ecr-digest-guard-member")))) {
            assertThatThrownBy(() -> MemberAccess.client(clients(role), AccountRegion.of("111111111111", "eu-west-1")))
                    .as("member role %s", role)
                    .isExactlyInstanceOf(CatalogException.class)
                    .hasMessageStartingWith("sts:GetCallerIdentity on the guard's own credentials failed: ExpiredToken "
                            + "(HTTP 403)")
                    .hasMessageContaining("needs no permission")
                    .hasMessageNotContaining("AssumeRole")
                    .satisfies(failed -> assertThat(((CatalogException) failed).retryable()).isFalse());
        }
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))))
                .isEmpty();
    }
}
