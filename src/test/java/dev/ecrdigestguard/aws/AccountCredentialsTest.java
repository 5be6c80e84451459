package dev.ecrdigestguard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.testing.LocalSts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Credentials per account through the real STS client against a local STS (WireMock): the own account needs no role,
 * a member account's role is assumed in the caller's partition, kept until shortly before it expires, and bounded.
 */
class AccountCredentialsTest {

    static final String OWN = "123456789012";
    static final String MEMBER = "111111111111";
    static final MemberRole ROLE = new MemberRole("ecr-digest-guard-member");
    static final AwsCredentialsProvider OWN_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("OWNKEY", "own-secret"));

    LocalSts local;
    WireMockServer sts;
    StsClient client;

    @BeforeEach
    void start() {
        local = LocalSts.start(OWN_CREDENTIALS);
        sts = local.server();
        client = local.client();
        callerIs("arn:aws:sts::" + OWN + ":assumed-role/PushGuardFunctionRole/ecr-digest-guard");
        assumeRoleExpiresIn(Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private void callerIs(String arn) {
        sts.stubFor(post("/").withRequestBody(containing("Action=GetCallerIdentity")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <GetCallerIdentityResult><Arn>%s</Arn><UserId>AROAEXAMPLE:ecr-digest-guard</UserId>
                            <Account>%s</Account></GetCallerIdentityResult>
                          <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
                        </GetCallerIdentityResponse>""".formatted(arn, arn.split(":")[4]))));
    }

    private void assumeRoleExpiresIn(Duration lifetime) {
        sts.stubFor(post("/").withRequestBody(containing("Action=AssumeRole")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <AssumeRoleResult>
                            <Credentials><AccessKeyId>ASIAMEMBER</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey>
                              <SessionToken>member-token</SessionToken><Expiration>%s</Expiration></Credentials>
                            <AssumedRoleUser><AssumedRoleId>AROAMEMBER:ecr-digest-guard</AssumedRoleId>
                              <Arn>arn:aws:sts::111111111111:assumed-role/ecr-digest-guard-member/ecr-digest-guard</Arn>
                            </AssumedRoleUser>
                          </AssumeRoleResult>
                          <ResponseMetadata><RequestId>2</RequestId></ResponseMetadata>
                        </AssumeRoleResponse>""".formatted(Instant.now().plus(lifetime)))));
    }

    private int assumeRoleCalls() {
        return sts.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole")))
                .size();
    }

    private AccountCredentials credentials(int maxAccounts) {
        return new AccountCredentials(() -> client, Optional::empty, OWN_CREDENTIALS, Optional.of(ROLE), maxAccounts);
    }

    @Test
    void forAccount_ownAccount_usesTheProcessCredentials_withoutAssumingARole() {
        AccountCredentials credentials = credentials(8);

        assertThat(credentials.forAccount(OWN)).isSameAs(OWN_CREDENTIALS);
        assertThat(credentials.caller()).isEqualTo(new AccountCredentials.Caller(OWN, "aws"));
        assertThat(assumeRoleCalls()).isZero();
    }

    @Test
    void caller_toldByTheFunction_asksStsNothing_andRoleArnsAreBuiltInThatPartition() {
        // GIVEN credentials told who they are, as the function is by its ARN
        AccountCredentials told = new AccountCredentials(() -> client,
                () -> Optional.of(new AccountCredentials.Caller(OWN, "aws-cn")), OWN_CREDENTIALS, Optional.of(ROLE));

        // WHEN the own account and a member account are read
        assertThat(told.forAccount(OWN)).isSameAs(OWN_CREDENTIALS);
        told.forAccount(MEMBER).resolveCredentials();

        // THEN STS was asked for the member role only, in the partition told
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=GetCallerIdentity")))).isEmpty();
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/")))).singleElement().satisfies(request ->
                assertThat(request.getBodyAsString()).contains("Action=AssumeRole",
                        "RoleArn=arn%3Aaws-cn%3Aiam%3A%3A111111111111%3Arole%2Fecr-digest-guard-member"));
    }

    @Test
    void caller_whoseIdentityCannotBeRead_isDescribedAsGetCallerIdentity_neverAsAMissingPermission() {
        local.refuses("GetCallerIdentity", 403, "ExpiredToken", "The security token included in the request is expired");

        assertThatThrownBy(() -> credentials(8).caller()).isInstanceOfSatisfying(SdkException.class, failed ->
                assertThat(AwsFailures.describeOwnIdentity(failed))
                        .startsWith("sts:GetCallerIdentity on the guard's own credentials failed: ExpiredToken "
                                + "(HTTP 403): The security token included in the request is expired")
                        .contains("needs no permission", "`aws sts get-caller-identity`")
                        .doesNotContain("AssumeRole", "allows", "\n"));
    }

    @Test
    void caller_isInOneOfTheKnownPartitions() {
        for (String partition : List.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e",
                "aws-iso-f")) {
            assertThat(new AccountCredentials.Caller(OWN, partition).partition()).isEqualTo(partition);
        }
        for (String partition : Arrays.asList("", "AWS", "aws-eu", "aws-iso-bb", "aws-cn-", "gcp", null)) {
            assertThatThrownBy(() -> new AccountCredentials.Caller(OWN, partition))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("partition '" + partition + "' is not one of aws, aws-cn, aws-us-gov, aws-iso, "
                            + "aws-iso-b, aws-iso-e, aws-iso-f");
        }
        assertThatThrownBy(() -> new AccountCredentials.Caller("12345", "aws"))
                .hasMessage("account '12345' is not a 12-digit AWS account ID");
    }

    @Test
    void forAccount_memberAccount_assumesTheMemberRole_inTheCallersPartition() {
        callerIs("arn:aws-us-gov:sts::" + OWN + ":assumed-role/PushGuardFunctionRole/ecr-digest-guard");

        AwsCredentials member = credentials(8).forAccount(MEMBER).resolveCredentials();

        assertThat(member).isInstanceOfSatisfying(AwsSessionCredentials.class, session -> {
            assertThat(session.accessKeyId()).isEqualTo("ASIAMEMBER");
            assertThat(session.sessionToken()).isEqualTo("member-token");
        });
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))))
                .singleElement().satisfies(request -> assertThat(request.getBodyAsString()).contains(
                        "RoleArn=arn%3Aaws-us-gov%3Aiam%3A%3A111111111111%3Arole%2Fecr-digest-guard-member",
                        "RoleSessionName=ecr-digest-guard"));
    }

    @Test
    void forAccount_keepsTheSession_whileItIsFarFromExpiry() {
        AccountCredentials credentials = credentials(8);

        for (int push = 0; push < 5; push++) {
            credentials.forAccount(MEMBER).resolveCredentials();
        }

        assertThat(assumeRoleCalls()).isEqualTo(1);
        assertThat(sts.findAll(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=GetCallerIdentity")))).hasSize(1);
    }

    @Test
    void forAccount_renewsTheSession_whenItExpiresWithinFiveMinutes() {
        assumeRoleExpiresIn(AccountCredentials.PREFETCH.minusMinutes(3));
        AccountCredentials credentials = credentials(8);

        credentials.forAccount(MEMBER);
        credentials.forAccount(MEMBER);

        assertThat(assumeRoleCalls()).isEqualTo(2);
    }

    @Test
    void forAccount_keepsAtMostTheBoundOfAccounts_droppingTheLeastRecentlyUsed() {
        AccountCredentials credentials = credentials(2);

        credentials.forAccount("111111111111");
        credentials.forAccount("222222222222");
        credentials.forAccount("111111111111");
        credentials.forAccount("333333333333"); // drops 222222222222, used least recently
        credentials.forAccount("111111111111");
        credentials.forAccount("222222222222");

        assertThat(assumeRoleCalls()).isEqualTo(4);
    }

    @Test
    void forAccount_refusedByTheMemberRole_throwsStsRefusal_thatNoRetryFixes() {
        sts.stubFor(post("/").withRequestBody(containing("Action=AssumeRole")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/PushGuardFunctionRole/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/ecr-digest-guard-member</Message></Error>
                          <RequestId>3</RequestId>
                        </ErrorResponse>""")));

        assertThatThrownBy(() -> credentials(8).forAccount(MEMBER))
                .isInstanceOfSatisfying(StsException.class, refused -> {
                    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(AwsFailures.retryable(refused)).isFalse();
                    assertThat(AwsFailures.describe("sts:AssumeRole", "role x", refused))
                            .contains("AccessDenied (HTTP 403)", "not authorized to perform: sts:AssumeRole");
                });
    }

    @Test
    void forAccount_anotherAccountWithoutAMemberRole_isRefusedWithTheReason() {
        AccountCredentials ownOnly = new AccountCredentials(() -> client, Optional::empty, OWN_CREDENTIALS,
                Optional.empty());

        assertThatThrownBy(() -> ownOnly.forAccount(MEMBER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account 111111111111 is not this one (123456789012) and no member role is set to "
                        + "assume there");
    }

    @Test
    void clients_areBuiltOncePerAccountAndRegion_withThatAccountsCredentials_andClosedWhenDropped() {
        List<String> built = new ArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        record FakeClient(String name, AtomicInteger closed) implements SdkAutoCloseable {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }
        AccountRegionClients<FakeClient> clients = new AccountRegionClients<>(credentials(8), (provider, region) -> {
            String name = provider.resolveCredentials().accessKeyId() + "@" + region.id();
            built.add(name);
            return new FakeClient(name, closed);
        }, 2);

        FakeClient memberIreland = clients.client(AccountRegion.of(MEMBER, "eu-west-1"));
        assertThat(clients.client(AccountRegion.of(MEMBER, "eu-west-1"))).isSameAs(memberIreland);
        clients.client(AccountRegion.of(OWN, "us-east-1"));
        clients.client(AccountRegion.of(MEMBER, "us-east-1")); // a third pair: the least recently used is closed

        assertThat(built).containsExactly("ASIAMEMBER@eu-west-1", "OWNKEY@us-east-1", "ASIAMEMBER@us-east-1");
        assertThat(closed).hasValue(1);
        clients.close();
        assertThat(closed).hasValue(3);
    }

    @Test
    void client_refusedAccount_surfacesTheStsFailure_beforeAnyClientIsBuilt() {
        sts.stubFor(post("/").withRequestBody(containing("Action=AssumeRole")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "text/xml").withBody("<ErrorResponse><Error><Type>Sender"
                        + "</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>4</RequestId>"
                        + "</ErrorResponse>")));
        List<Region> built = new ArrayList<>();
        AccountRegionClients<SdkAutoCloseable> clients = new AccountRegionClients<>(credentials(8),
                (provider, region) -> {
                    built.add(region);
                    return () -> { };
                });

        assertThatThrownBy(() -> clients.client(AccountRegion.of(MEMBER, "eu-west-1")))
                .isInstanceOf(SdkException.class);
        assertThat(built).isEmpty();
    }
}
