package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.cli.Main;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.AlertQueue;
import dev.ecrdigestguard.testing.LocalImages;
import dev.ecrdigestguard.testing.MotoFront;
import dev.ecrdigestguard.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * One guard for an organization, end to end against a local AWS (moto): the function runs in the central account
 * (moto's default, 123456789012), member accounts B and C each hold a repository {@code shop-api} in two regions, and
 * a release collision exists only in B's us-east-1. The function is the real handler with real SDK clients: it
 * assumes the member role through STS, reads ECR with the member's credentials in the push's region, and publishes to
 * the central SNS topic, which an SQS queue subscribes to; the test reads the alerts from that queue.
 *
 * <p>moto lets any caller assume any role (its STS does not evaluate trust policies for other accounts; checked:
 * {@code AssumeRole} into a role whose trust policy denies everyone, and into a role that doesn't exist, both
 * succeed). So the refusing member account D is played by WireMock in front of moto: STS requests go to WireMock,
 * which answers D's {@code AssumeRole} with the {@code AccessDenied} STS sends, and proxies everything else to moto.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrganizationGuardIT {

    static final String CENTRAL = "123456789012";
    static final String B = "111111111111";
    static final String C = "222222222222";
    static final String D = "333333333333";
    static final String ROLE = "ecr-digest-guard-member";
    static final String REPOSITORY = "shop-api";
    static final String[] ENDPOINTS = {"aws.endpointUrlEcr", "aws.endpointUrlSns", "aws.endpointUrlSqs",
        "aws.endpointUrlOrganizations"};

    static MotoServer moto;
    static WireMockServer sts;
    static AlertQueue alertQueue;
    static PushGuardHandler handler;
    /** The digest of tag-1-253-0 in each registry, as ECR computed it. */
    static final Map<String, String> releaseDigest = new java.util.HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startLocalAws() throws Exception {
        moto = MotoServer.start();
        for (String property : ENDPOINTS) {
            System.setProperty(property, moto.url());
        }
        sts = MotoFront.start(moto);
        MotoFront.refuseAssumeRole(sts, D, ROLE);
        System.setProperty("aws.endpointUrlSts", sts.baseUrl());

        // The central account: the alert topic and a queue that receives everything published to it.
        alertQueue = AlertQueue.create("guard-alerts");

        // B and C: the same repository in two regions; only B's us-east-1 has two releases on one digest.
        registry(B, "us-east-1", true);
        registry(B, "eu-west-1", false);
        registry(C, "us-east-1", false);
        registry(C, "eu-west-1", false);
        // The central account's own repository, read without a role: a collision too.
        registry(CENTRAL, "eu-west-1", true);

        handler = new PushGuardHandler(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, alertQueue.topicArn(),
                GuardConfig.MEMBER_ROLE_NAME, ROLE));
    }

    @AfterAll
    static void stopLocalAws() {
        for (String property : ENDPOINTS) {
            System.clearProperty(property);
        }
        System.clearProperty("aws.endpointUrlSts");
        if (alertQueue != null) {
            alertQueue.close();
        }
        if (sts != null) {
            sts.stop();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** Seeds {@code shop-api} in an account and region, as that account (moto keeps accounts apart by credentials). */
    static void registry(String account, String region, boolean collision) {
        try (EcrClient ecr = EcrClient.builder().httpClient(AwsClients.http()).region(Region.of(region))
                .credentialsProvider(credentialsOf(account)).build()) {
            ecr.createRepository(r -> r.repositoryName(REPOSITORY));
            String older = LocalImages.manifest("a");
            LocalImages.push(ecr, REPOSITORY, older, "tag-1-252-0");
            String digest = LocalImages.push(ecr, REPOSITORY, collision ? older : LocalImages.manifest("b"),
                    "tag-1-253-0");
            releaseDigest.put(account + "/" + region, digest);
        }
    }

    /** The test's own way into an account: moto's STS, directly (WireMock would refuse D). */
    static AwsCredentialsProvider credentialsOf(String account) {
        return account.equals(CENTRAL) ? null : moto.credentialsOf(account);
    }

    /**
     * Creates the organization (managed by the central account) and one member account with boto3, an independent
     * client, since this build has no Organizations SDK module; returns the new account's ID.
     */
    static String createOrganizationWithAnAccount() throws Exception {
        Process python = new ProcessBuilder("python3", "-c", String.join("\n",
                "import boto3, sys",
                "org = boto3.client('organizations', endpoint_url=sys.argv[1], region_name='us-east-1')",
                "org.create_organization(FeatureSet='ALL')",
                "status = org.create_account(AccountName='payments', Email='payments@example.com')",
                "print(status['CreateAccountStatus']['AccountId'])"), moto.url())
                .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(python.waitFor()).as(output).isZero();
        assertThat(output).matches("[0-9]{12}");
        return output;
    }

    static String event(String account, String region, String tag, String digest) {
        return """
                {"version":"0","id":"%s","detail-type":"ECR Image Action","source":"aws.ecr","account":"%s",
                 "time":"2026-12-01T09:41:12Z","region":"%s","resources":[],
                 "detail":{"result":"SUCCESS","repository-name":"%s","image-digest":"%s","action-type":"PUSH",
                   "image-tag":"%s","manifest-media-type":"application/vnd.oci.image.manifest.v1+json"}}"""
                .formatted(account + "-" + region + "-" + tag, account, region, REPOSITORY, digest, tag);
    }

    static String invoke(String account, String region) throws Exception {
        String digest = releaseDigest.getOrDefault(account + "/" + region, "sha256:" + "e".repeat(64));
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event(account, region, "tag-1-253-0", digest)
                .getBytes(StandardCharsets.UTF_8)), reply, new FakeContext("request-" + account, "guard", 60_000));
        return Json.mapper().readTree(reply.toByteArray()).get("outcome").asText();
    }

    /** Every message the alert queue holds now: SNS envelopes, with the message attributes SNS passes on. */
    static List<JsonNode> alerts() {
        return alertQueue.alerts();
    }

    /** The STS requests that asked who the caller is: the command line's; the function knows from its ARN. */
    static int identityRequests() {
        return sts.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=GetCallerIdentity")))
                .size();
    }

    static List<String> assumedRoles() {
        return sts.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole")))
                .stream().map(request -> java.net.URLDecoder.decode(request.getBodyAsString(),
                        StandardCharsets.UTF_8))
                .map(body -> body.replaceAll(".*RoleArn=([^&]+).*", "$1")).toList();
    }

    @Test
    @Order(1)
    void collisionInAMemberAccount_isFoundWithThatAccountsCredentials_inItsRegion_andAlertedCentrally()
            throws Exception {
        // WHEN B pushes tag-1-253-0 onto tag-1-252-0's digest in us-east-1
        String outcome = invoke(B, "us-east-1");

        // THEN the function assumed B's member role (in the partition of its own ARN, not asking STS who it is) and
        // found the collision there
        assertThat(outcome).isEqualTo("ALERTED");
        assertThat(assumedRoles()).containsExactly("arn:aws:iam::111111111111:role/ecr-digest-guard-member");
        assertThat(identityRequests()).isZero();
        // AND the alert reached the central topic, saying which account and region
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.at("/MessageAttributes/account/Value").asText()).isEqualTo(B);
        assertThat(alert.at("/MessageAttributes/region/Value").asText()).isEqualTo("us-east-1");
        assertThat(alert.at("/MessageAttributes/findingKind/Value").asText()).contains("SHARED_DIGEST");
        JsonNode report = Json.mapper().readTree(alert.get("Message").asText());
        assertThat(report.get("account").asText()).isEqualTo(B);
        assertThat(report.get("region").asText()).isEqualTo("us-east-1");
        assertThat(report.at("/findings/0/otherProductionTags/0").asText()).isEqualTo("tag-1-252-0");
    }

    @Test
    @Order(2)
    void theSameAccountInAnotherRegion_isReadInThatRegion_withTheCredentialsAlreadyHeld() throws Exception {
        // B's eu-west-1 repository has the same tags on two digests: no collision there
        assertThat(invoke(B, "eu-west-1")).isEqualTo("CLEAN");

        assertThat(assumedRoles()).as("B's session is reused, not assumed again").hasSize(1);
        assertThat(alerts()).isEmpty();
    }

    @Test
    @Order(3)
    void anotherMemberAccount_isReadWithItsOwnRole() throws Exception {
        assertThat(invoke(C, "us-east-1")).isEqualTo("CLEAN");

        assertThat(assumedRoles()).containsExactly("arn:aws:iam::111111111111:role/ecr-digest-guard-member",
                "arn:aws:iam::222222222222:role/ecr-digest-guard-member");
    }

    @Test
    @Order(4)
    void theFunctionsOwnAccount_isReadWithoutARole_andWithoutAnySts() throws Exception {
        int stsRequestsBefore = sts.getAllServeEvents().size();

        assertThat(invoke(CENTRAL, "eu-west-1")).isEqualTo("ALERTED");

        assertThat(sts.getAllServeEvents()).as("its own account, known from its ARN").hasSize(stsRequestsBefore);
        assertThat(assumedRoles()).noneMatch(role -> role.contains(CENTRAL));
        assertThat(alerts()).singleElement().satisfies(alert ->
                assertThat(alert.at("/MessageAttributes/account/Value").asText()).isEqualTo(CENTRAL));
    }

    @Test
    @Order(5)
    void aMemberRoleThatRefusesTheAssume_raisesAnAlertAboutTheGuardsSetup_notSilence() throws Exception {
        String outcome = invoke(D, "eu-west-1");

        assertThat(outcome).isEqualTo("ACCOUNT_UNREACHABLE");
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.get("Subject").asText()).contains("CRITICAL ACCOUNT_UNREACHABLE");
        assertThat(alert.at("/MessageAttributes/account/Value").asText()).isEqualTo(D);
        assertThat(alert.at("/MessageAttributes/findingKind/Value").asText()).contains("ACCOUNT_UNREACHABLE");
        JsonNode finding = Json.mapper().readTree(alert.get("Message").asText()).at("/findings/0");
        assertThat(finding.get("roleArn").asText()).isEqualTo("arn:aws:iam::333333333333:role/ecr-digest-guard-member");
        assertThat(finding.get("reason").asText())
                .contains("AccessDenied", "not authorized to perform: sts:AssumeRole");
    }

    @Test
    @Order(6)
    void audit_acrossAccountsAndRegions_findsTheCollision_andSkipsTheAccountThatRefuses() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"audit", "--accounts", B + "," + C + "," + D, "--regions",
            "eu-west-1,us-east-1", "--all-repositories", "--production-tags", "tag-*", "--role-name", ROLE,
            "--format", "json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        // A shared digest is reported per repository; without a ledger no release is judged out of turn: exit 0.
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Main.OK);
        JsonNode json = Json.mapper().readTree(out.toByteArray());
        List<String> audited = new ArrayList<>();
        json.get("repositories").forEach(repository -> audited.add(repository.get("account").asText() + "/"
                + repository.get("region").asText() + " " + repository.get("sharedDigests").size()));
        assertThat(audited).containsExactly(B + "/eu-west-1 0", B + "/us-east-1 1", C + "/eu-west-1 0",
                C + "/us-east-1 0");
        assertThat(json.get("skipped")).hasSize(2).allSatisfy(skip ->
                assertThat(skip.get("account").asText()).isEqualTo(D));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("skipped account 333333333333, region eu-west-1");
        // The command line has no ARN of its own: it asks STS who it is, once; the function's pushes never did.
        assertThat(identityRequests()).isEqualTo(1);
    }

    @Test
    @Order(7)
    void audit_ofTheOrganization_readsTheAccountsOrganizationsLists() throws Exception {
        // GIVEN an organization (moto gives created accounts IDs of its own) with a collision in a new account
        String created = createOrganizationWithAnAccount();
        registry(created, "eu-west-1", true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"audit", "--organization", "--regions", "eu-west-1", "--all-repositories",
            "--production-tags", "tag-*", "--role-name", ROLE, "--format", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Main.OK);
        JsonNode json = Json.mapper().readTree(out.toByteArray());
        List<String> accounts = new ArrayList<>();
        json.get("repositories").forEach(repository -> accounts.add(repository.get("account").asText()));
        assertThat(accounts).contains(CENTRAL, created);
    }

    @Test
    @Order(8)
    void check_withRoleName_judgesAMemberAccountsPush_asTheFunctionDoes() throws Exception {
        Path event = dir.resolve("push.json");
        Files.writeString(event, event(B, "us-east-1", "tag-1-253-0", releaseDigest.get(B + "/us-east-1")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"check", "--event", event.toString(), "--production-tags", "tag-*",
            "--role-name", ROLE, "--format", "json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Main.FINDINGS);
        JsonNode json = Json.mapper().readTree(out.toByteArray());
        assertThat(json.at("/findings/0/kind").asText()).isEqualTo("SHARED_DIGEST");
        assertThat(json.at("/alert/messageAttributes/account/StringValue").asText()).isEqualTo(B);
    }
}
