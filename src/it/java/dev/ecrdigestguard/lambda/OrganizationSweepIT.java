package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.testing.AlertQueue;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.CloudTrailLookups;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.LedgerTables;
import dev.ecrdigestguard.testing.LocalImages;
import dev.ecrdigestguard.testing.MotoFront;
import dev.ecrdigestguard.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The organization-wide scheduled sweep end to end against a local AWS (moto, started here; the test fails when it
 * can't be): the real handler with the runtime's wiring and real SDK clients, run in the central account
 * (123456789012, moto's default) with {@code SWEEP_ACCOUNTS} listing member accounts B and C, which hold repositories
 * in two regions, and D, whose member role refuses the guard. The schedule's event is delivered as the runtime
 * delivers it; each {@code Invoke} the function makes of itself (Lambda's asynchronous invocation, WireMock here: moto
 * can't run our function) is then delivered back to the handler, as Lambda would, until none is left.
 *
 * <p>STS, ECR, CloudTrail and Lambda go through one WireMock in front of moto, so the test sees on the wire which
 * credentials read which registry: every ECR and CloudTrail request is matched to the {@code AssumeRole} that issued
 * its access key. WireMock also plays what moto can't: D's refusal (moto lets any caller assume any role, even one
 * that doesn't exist; see {@link OrganizationGuardIT}), CloudTrail's {@code LookupEvents} (moto answers 500) and
 * Lambda's {@code Invoke}. SNS, SQS and DynamoDB are moto's, reached directly.
 *
 * <p>The one release at risk: in B's us-east-1 {@code shop-api}, {@code tag-3} re-released on {@code tag-1}'s digest
 * before the guard was deployed, under "keep the newest production image"; only CloudTrail's history (the first
 * sweep's backfill) tells. CloudTrail answers every registry's lookup with that record, so each backfill must keep
 * only its own account's and region's releases.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrganizationSweepIT {

    static final String CENTRAL = "123456789012";
    static final String B = "111111111111";
    static final String C = "222222222222";
    /** The member account whose role refuses the guard's AssumeRole. */
    static final String D = "333333333333";
    static final String ROLE = "ecr-digest-guard-member";
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    static final List<String> REPOSITORIES = List.of("shop-api", "web");
    static final String FUNCTION = "ecr-digest-guard";
    static final String TABLE = "guard-ledger";
    static final String INVOCATIONS = "/2015-03-31/functions/" + FUNCTION + "/invocations";
    static final String KEEP_ONE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"Keep the newest production "
            + "image\",\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"tag-\"],\"countType\":"
            + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
    /** Reached through WireMock, which sees each request and plays what moto can't. */
    static final String[] FRONTED = {"aws.endpointUrlSts", "aws.endpointUrlEcr", "aws.endpointUrlCloudTrail",
        "aws.endpointUrlLambda"};
    /** moto's, directly. */
    static final String[] DIRECT = {"aws.endpointUrlSns", "aws.endpointUrlSqs", "aws.endpointUrlDynamoDb"};
    /** The function's own credentials (the build sets them for every test), which read the central account. */
    static final String OWN_ACCESS_KEY = System.getenv("AWS_ACCESS_KEY_ID");
    static final Pattern SIGNED_BY = Pattern.compile("Credential=([^/]+)/[0-9]{8}/([^/]+)/");

    static MotoServer moto;
    static WireMockServer aws;
    static AlertQueue alertQueue;
    static DynamoDbClient dynamo;
    static PushGuardHandler handler;
    static String atRiskDigest;
    static final Instant SWEEP = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** The invocations the schedule's tick asked of Lambda. */
    static final List<ServeEvent> fannedOut = new ArrayList<>();
    /** Every fanned-out invocation delivered back to the handler, in order. */
    static final List<Delivered> delivered = new ArrayList<>();

    /** One invocation of the handler: its event, its outcome, and every line it logged (the EMF line last). */
    record Delivered(String event, String outcome, List<JsonNode> log) {
        String registry() {
            JsonNode event = json(this.event);
            return event.at("/detail/account").asText() + "/" + event.at("/detail/region").asText();
        }

        JsonNode metrics() {
            return log.stream().filter(line -> line.has("_aws")).reduce((first, second) -> second).orElseThrow();
        }
    }

    @BeforeAll
    static void startLocalAws() throws Exception {
        moto = MotoServer.start();
        for (String property : DIRECT) {
            System.setProperty(property, moto.url());
        }
        aws = MotoFront.start(moto);
        MotoFront.refuseAssumeRole(aws, D, ROLE);
        for (String property : FRONTED) {
            System.setProperty(property, aws.baseUrl());
        }
        aws.stubFor(post(urlPathEqualTo(INVOCATIONS)).willReturn(aResponse().withStatus(202)));

        alertQueue = AlertQueue.create("guard-alerts");
        dynamo = AwsClients.newDynamoDbClient();
        LedgerTables.create(dynamo, TABLE);

        // B and C: the same two repositories in both regions, each under "keep the newest production image"; pushes
        // a second apart, since ECR's push times are in seconds.
        Map<String, EcrClient> registries = new LinkedHashMap<>();
        for (String account : List.of(B, C)) {
            for (String region : REGIONS) {
                registries.put(account + "/" + region, ecrOf(account, region));
            }
        }
        for (EcrClient ecr : registries.values()) {
            for (String repository : REPOSITORIES) {
                ecr.createRepository(r -> r.repositoryName(repository));
                ecr.putLifecyclePolicy(r -> r.repositoryName(repository).lifecyclePolicyText(KEEP_ONE));
                LocalImages.push(ecr, repository, LocalImages.manifest("a"), "tag-1");
            }
        }
        Thread.sleep(1100);
        for (EcrClient ecr : registries.values()) {
            for (String repository : REPOSITORIES) {
                LocalImages.push(ecr, repository, LocalImages.manifest("b"), "tag-2");
            }
        }
        Thread.sleep(1100);
        // Only B's us-east-1 shop-api: tag-3 released on tag-1's image, the oldest push; ECR deletes it first.
        atRiskDigest = LocalImages.push(registries.get(B + "/us-east-1"), "shop-api", LocalImages.manifest("a"),
                "tag-3");
        registries.values().forEach(EcrClient::close);
        Instant released = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CloudTrailLookups.answerWith(aws, List.of(CloudTrailLookups.putImage(B, "us-east-1", "shop-api", "tag-3",
                atRiskDigest, released)));

        handler = new PushGuardHandler(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, alertQueue.topicArn(),
                GuardConfig.LEDGER_TABLE, TABLE,
                GuardConfig.MEMBER_ROLE_NAME, ROLE,
                GuardConfig.SWEEP_ACCOUNTS, B + "," + C + "," + D,
                GuardConfig.SWEEP_REGIONS, String.join(",", REGIONS),
                "AWS_LAMBDA_FUNCTION_NAME", FUNCTION,
                "AWS_REGION", "eu-west-1"));
        aws.resetRequests();
    }

    @AfterAll
    static void stopLocalAws() {
        for (String property : FRONTED) {
            System.clearProperty(property);
        }
        for (String property : DIRECT) {
            System.clearProperty(property);
        }
        for (AutoCloseable client : new AutoCloseable[] {alertQueue, dynamo}) {
            try {
                if (client != null) {
                    client.close();
                }
            } catch (Exception ignored) {
                // closing a client of a server that is going away
            }
        }
        if (aws != null) {
            aws.stop();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** The test's own client of a member account's registry: moto's, directly, with a session of that account. */
    static EcrClient ecrOf(String account, String region) {
        return EcrClient.builder().httpClient(AwsClients.http()).region(Region.of(region))
                .endpointOverride(URI.create(moto.url())).credentialsProvider(moto.credentialsOf(account)).build();
    }

    /** Runs the handler on {@code event} as the runtime delivers it (bytes in, bytes out, a context with the ARN). */
    static Delivered deliver(String event) throws Exception {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try (CapturedLog log = new CapturedLog()) {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), reply,
                    new FakeContext("request-" + delivered.size(), FUNCTION, 60_000));
            List<JsonNode> lines = new ArrayList<>();
            for (String line : log.lines()) {
                lines.add(Json.mapper().readTree(line));
            }
            return new Delivered(event, Json.mapper().readTree(reply.toByteArray())
                    .get("outcome").asText(), lines);
        }
    }

    /** The asynchronous invocations the function asked of Lambda since the last call, taken off WireMock's journal. */
    static List<ServeEvent> takeInvocations() {
        RequestPatternBuilder invocations = postRequestedFor(urlPathEqualTo(INVOCATIONS));
        List<ServeEvent> taken = aws.getAllServeEvents().stream()
                .filter(served -> invocations.build().match(served.getRequest()).isExactMatch())
                .sorted((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()))
                .toList();
        aws.removeServeEventsMatching(invocations.build());
        return taken;
    }

    /** The account each access key STS issued through WireMock belongs to: the account of the role assumed. */
    static Map<String, String> accountsByAccessKey() {
        Map<String, String> accounts = new HashMap<>();
        accounts.put(OWN_ACCESS_KEY, CENTRAL);
        for (ServeEvent served : aws.getAllServeEvents()) {
            String body = URLDecoder.decode(served.getRequest().getBodyAsString(), StandardCharsets.UTF_8);
            Matcher role = Pattern.compile("RoleArn=arn:aws:iam::([0-9]{12}):role/").matcher(body);
            Matcher key = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>")
                    .matcher(served.getResponse().getBodyAsString());
            if (body.contains("Action=AssumeRole") && role.find() && key.find()) {
                accounts.put(key.group(1), role.group(1));
            }
        }
        return accounts;
    }

    /**
     * Every request whose {@code X-Amz-Target} starts with {@code targetPrefix}, as "account/region operation
     * repository": the account whose credentials signed it, the region it was signed for.
     */
    static List<String> signedCalls(String targetPrefix) {
        Map<String, String> accounts = accountsByAccessKey();
        List<String> calls = new ArrayList<>();
        for (ServeEvent served : aws.getAllServeEvents()) {
            String target = Optional.ofNullable(served.getRequest().getHeader("X-Amz-Target")).orElse("");
            if (!target.startsWith(targetPrefix)) {
                continue;
            }
            Matcher signature = SIGNED_BY.matcher(served.getRequest().getHeader("Authorization"));
            assertThat(signature.find()).as(served.getRequest().getHeader("Authorization")).isTrue();
            String account = accounts.getOrDefault(signature.group(1), "unknown key " + signature.group(1));
            JsonNode body = json(served.getRequest().getBodyAsString());
            String repository = body.path("repositoryName").asText("");
            calls.add((account + "/" + signature.group(2) + " " + target.substring(target.lastIndexOf('.') + 1) + " "
                    + repository).trim());
        }
        return calls;
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static String sweepTick() {
        return "{\"source\":\"ecr-digest-guard\",\"detail-type\":\"Sweep\",\"version\":\"1\",\"time\":\"" + SWEEP
                + "\",\"id\":\"execution-" + SWEEP.getEpochSecond() + "\"}";
    }

    static List<String> registries(List<Delivered> invocations) {
        return invocations.stream().map(Delivered::registry).toList();
    }

    @Test
    @Order(1)
    void scheduleTick_fansOutOneInvocationPerAccountAndRegion_andReadsNoRegistryItself() throws Exception {
        // WHEN the schedule's event reaches the function
        Delivered tick = deliver(sweepTick());

        // THEN one asynchronous invocation of the function per listed account and region, each its registry's step 0
        assertThat(tick.outcome()).isEqualTo("SWEPT");
        fannedOut.addAll(takeInvocations());
        List<String> slices = new ArrayList<>();
        for (ServeEvent invocation : fannedOut) {
            assertThat(invocation.getRequest().getHeader("X-Amz-Invocation-Type")).isEqualTo("Event");
            assertThat(invocation.getRequest().queryParameter("Qualifier").firstValue()).isEqualTo("$LATEST");
            JsonNode slice = json(invocation.getRequest().getBodyAsString());
            assertThat(slice.get("time").asText()).isEqualTo(SWEEP.toString());
            slices.add(slice.at("/detail/account").asText() + "/" + slice.at("/detail/region").asText() + " step "
                    + slice.at("/detail/step").asInt());
        }
        assertThat(slices).containsExactlyInAnyOrder(B + "/us-east-1 step 0", B + "/eu-west-1 step 0",
                C + "/us-east-1 step 0", C + "/eu-west-1 step 0", D + "/us-east-1 step 0", D + "/eu-west-1 step 0");
        // AND the tick itself read no registry and assumed no role: the fanned-out invocations do that
        assertThat(signedCalls("AmazonEC2ContainerRegistry")).isEmpty();
        assertThat(accountsByAccessKey()).containsOnlyKeys(OWN_ACCESS_KEY);
        assertThat(alertQueue.alerts()).isEmpty();
    }

    @Test
    @Order(2)
    void everyFannedOutInvocation_deliveredAsLambdaWould_endsNormally_theRefusedAccountsToo() throws Exception {
        // WHEN Lambda delivers each invocation to the function, and any further one the function asks for, until
        // none is left
        List<ServeEvent> pending = List.copyOf(fannedOut);
        while (!pending.isEmpty()) {
            assertThat(delivered).as("invocations delivered; a sweep that never finishes?").hasSizeLessThan(30);
            for (ServeEvent invocation : pending) {
                delivered.add(deliver(invocation.getRequest().getBodyAsString()));
            }
            pending = takeInvocations();
        }

        // THEN each registry needed one invocation, and every one ended normally (none failed, D's included)
        assertThat(registries(delivered)).containsExactlyInAnyOrder(B + "/us-east-1", B + "/eu-west-1",
                C + "/us-east-1", C + "/eu-west-1", D + "/us-east-1", D + "/eu-west-1");
        assertThat(delivered).extracting(Delivered::outcome).containsOnly("SWEPT");
    }

    @Test
    @Order(3)
    void eachReachableAccountAndRegion_isReadWithThatAccountsRole_inItsRegion_eachRepositoryJudgedOnce() {
        // One read of each repository's images and policy, signed with the member's own session for that region
        List<String> judged = new ArrayList<>();
        for (String account : List.of(B, C)) {
            for (String region : REGIONS) {
                for (String repository : REPOSITORIES) {
                    judged.add(account + "/" + region + " GetLifecyclePolicy " + repository);
                }
            }
        }
        assertThat(signedCalls("AmazonEC2ContainerRegistry_V20150921.GetLifecyclePolicy"))
                .containsExactlyInAnyOrderElementsOf(judged);
        assertThat(signedCalls("AmazonEC2ContainerRegistry_V20150921.DescribeImages"))
                .containsExactlyInAnyOrderElementsOf(judged.stream()
                        .map(call -> call.replace("GetLifecyclePolicy", "DescribeImages")).toList());
        // AND each registry's backfill read that account's CloudTrail in that region, D's none
        assertThat(signedCalls("com.amazonaws.cloudtrail")).containsExactlyInAnyOrder(
                B + "/us-east-1 LookupEvents", B + "/eu-west-1 LookupEvents",
                C + "/us-east-1 LookupEvents", C + "/eu-west-1 LookupEvents");
        // AND each reachable registry's invocation counted its two repositories
        assertThat(delivered).filteredOn(invocation -> !invocation.registry().startsWith(D))
                .hasSize(4)
                .allSatisfy(invocation -> assertThat(invocation.metrics().get(GuardMetrics.REPOSITORIES_SWEPT)
                        .asLong()).as(invocation.registry()).isEqualTo(2));
    }

    @Test
    @Order(4)
    void theReleaseAtRiskInB_isAlertedCentrally_namingAccountBAndItsRegion() throws Exception {
        List<JsonNode> alerts = alertQueue.alerts();

        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.get("Subject").asText()).contains("CRITICAL", "LIFECYCLE_EXPIRY");
        assertThat(alert.at("/MessageAttributes/account/Value").asText()).isEqualTo(B);
        assertThat(alert.at("/MessageAttributes/region/Value").asText()).isEqualTo("us-east-1");
        JsonNode report = Json.mapper().readTree(alert.get("Message").asText());
        assertThat(report.get("account").asText()).isEqualTo(B);
        assertThat(report.get("region").asText()).isEqualTo("us-east-1");
        assertThat(report.get("repository").asText()).isEqualTo("shop-api");
        assertThat(report.at("/findings/0/kind").asText()).isEqualTo("LIFECYCLE_EXPIRY");
        assertThat(report.at("/findings/0/tag").asText()).isEqualTo("tag-3");
        // AND only B's us-east-1 invocation counted a release at risk
        assertThat(delivered).filteredOn(invocation -> invocation.metrics().path(GuardMetrics.RELEASES_AT_RISK)
                .asLong() > 0).extracting(Delivered::registry).containsExactly(B + "/us-east-1");
        // AND the ledger holds that release under B's account and region, from B's CloudTrail
        Map<String, AttributeValue> release = dynamo.getItem(r -> r.tableName(TABLE).key(Map.of(
                "pk", AttributeValue.fromS("REPO#" + B + "#us-east-1#shop-api"),
                "sk", AttributeValue.fromS("RELEASE#tag-3")))).item();
        assertThat(release.get("digest").s()).isEqualTo(atRiskDigest);
        // AND each registry's backfill, shown the same history, recorded only its own account's and region's release
        for (String account : List.of(B, C)) {
            for (String region : REGIONS) {
                Map<String, AttributeValue> backfill = dynamo.getItem(r -> r.tableName(TABLE).key(Map.of(
                        "pk", AttributeValue.fromS("REGISTRY#" + account + "#" + region),
                        "sk", AttributeValue.fromS("BACKFILL")))).item();
                assertThat(backfill.get("done").bool()).as(account + "/" + region).isTrue();
                assertThat(backfill.get("read").n()).as(account + "/" + region).isEqualTo("1");
                assertThat(backfill.get("recorded").n()).as(account + "/" + region)
                        .isEqualTo(account.equals(B) && region.equals("us-east-1") ? "1" : "0");
            }
        }
    }

    @Test
    @Order(5)
    void aMemberAccountWhoseRoleIsRefused_isLoggedCountedAndSkipped_withoutFailingTheInvocation() {
        List<Delivered> unreachable = delivered.stream().filter(invocation -> invocation.registry().startsWith(D))
                .toList();

        // One invocation per region of D, each ending normally (SWEPT), so Lambda does not retry it
        assertThat(registries(unreachable)).containsExactlyInAnyOrder(D + "/us-east-1", D + "/eu-west-1");
        assertThat(unreachable).allSatisfy(invocation -> {
            assertThat(invocation.outcome()).isEqualTo("SWEPT");
            // logged as ACCOUNT_UNREACHABLE, with the role that was refused and STS's reason
            assertThat(invocation.log()).filteredOn(line -> line.path("findingKind").asText()
                    .equals("ACCOUNT_UNREACHABLE")).singleElement().satisfies(line -> {
                        assertThat(line.get("level").asText()).isEqualTo("ERROR");
                        assertThat(line.get("account").asText()).isEqualTo(D);
                        assertThat(line.get("roleArn").asText()).isEqualTo("arn:aws:iam::" + D + ":role/" + ROLE);
                        assertThat(line.get("message").asText()).contains("AccessDenied");
                    });
            // counted in the EMF line the AccountsUnreachable alarm watches, and nothing judged
            JsonNode metrics = invocation.metrics();
            assertThat(metrics.get(GuardMetrics.DIMENSION).asText()).isEqualTo(FUNCTION);
            assertThat(metrics.get(GuardMetrics.ACCOUNTS_UNREACHABLE).asLong()).isEqualTo(1);
            assertThat(metrics.path(GuardMetrics.REPOSITORIES_SWEPT).asLong()).isZero();
            assertThat(metrics.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name"))
                    .contains(GuardMetrics.ACCOUNTS_UNREACHABLE);
        });
        // AND no other invocation counted an unreachable account
        assertThat(delivered).filteredOn(invocation -> invocation.metrics()
                .path(GuardMetrics.ACCOUNTS_UNREACHABLE).asLong() > 0).hasSize(2);
        // AND D's part of the sweep is recorded as done, so a retried event won't try again
        for (String region : REGIONS) {
            Map<String, AttributeValue> progress = dynamo.getItem(r -> r.tableName(TABLE).key(Map.of(
                    "pk", AttributeValue.fromS("SWEEP#" + SWEEP), "sk", AttributeValue.fromS(D + "#" + region))))
                    .item();
            assertThat(progress.get("done").bool()).as(region).isTrue();
            assertThat(progress.get("judged").n()).isEqualTo("0");
        }
    }

    @Test
    @Order(6)
    void aDuplicatedFanOutEvent_findsItsRegistrySwept_andJudgesNothingAgain() throws Exception {
        // GIVEN Lambda delivers B's us-east-1 step again (asynchronous invocations are at least once)
        String again = delivered.stream().filter(invocation -> invocation.registry().equals(B + "/us-east-1"))
                .findFirst().orElseThrow().event();
        int ecrCalls = signedCalls("AmazonEC2ContainerRegistry").size();

        Delivered duplicate = deliver(again);

        assertThat(duplicate.outcome()).isEqualTo("SWEEP_NOT_NEEDED");
        assertThat(signedCalls("AmazonEC2ContainerRegistry")).hasSize(ecrCalls);
        assertThat(takeInvocations()).isEmpty();
        assertThat(alertQueue.alerts()).isEmpty();
    }
}
