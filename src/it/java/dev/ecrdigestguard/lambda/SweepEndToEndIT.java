package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.AlertQueue;
import dev.ecrdigestguard.testing.CloudTrailLookups;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.LedgerTables;
import dev.ecrdigestguard.testing.LocalImages;
import dev.ecrdigestguard.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The release ledger and the scheduled sweep end to end against a local AWS (moto, started here; the test fails when
 * it can't be): the real handler with the runtime's wiring and real SDK clients, real ECR repositories, images and
 * lifecycle policies, the ledger in a real DynamoDB table, alerts published to an SNS topic that an SQS queue
 * subscribes to, read back by the test. CloudTrail's LookupEvents, which moto answers with HTTP 500, is WireMock.
 *
 * <p>Both repositories hold an old release re-released on its digest ({@code tag-3} on {@code tag-1}'s image) under
 * "keep the newest production image": by push time ECR deletes it, by release time it is the newest. In
 * {@code shop-api} the guard saw the re-release pushed; in {@code web} it happened before the guard, and only
 * CloudTrail's history tells.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepEndToEndIT {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    static final String TABLE = "guard-ledger";
    static final String KEEP_ONE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"Keep the newest production "
            + "image\",\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"tag-\"],\"countType\":"
            + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
    static final String[] ENDPOINTS = {"aws.endpointUrlEcr", "aws.endpointUrlSns", "aws.endpointUrlSqs",
        "aws.endpointUrlDynamoDb"};

    static MotoServer moto;
    static WireMockServer cloudTrailAndLambda;
    /**
     * STS, answering nothing: the function knows its own account from its ARN and assumes no role in a single
     * account, so no request may reach it (one would fail, and is counted).
     */
    static WireMockServer sts;
    static AlertQueue alertQueue;
    static EcrClient ecr;
    static DynamoDbClient dynamo;
    static PushGuardHandler handler;
    static final Map<String, String> digests = new LinkedHashMap<>();
    static Instant releasedBeforeTheGuard;

    @BeforeAll
    static void startLocalAws() throws Exception {
        moto = MotoServer.start();
        for (String property : ENDPOINTS) {
            System.setProperty(property, moto.url());
        }
        sts = new WireMockServer(options().dynamicPort());
        sts.start();
        System.setProperty("aws.endpointUrlSts", sts.baseUrl());
        cloudTrailAndLambda = new WireMockServer(options().dynamicPort());
        cloudTrailAndLambda.start();
        System.setProperty("aws.endpointUrlCloudTrail", cloudTrailAndLambda.baseUrl());
        System.setProperty("aws.endpointUrlLambda", cloudTrailAndLambda.baseUrl());
        cloudTrailAndLambda.stubFor(post("/2015-03-31/functions/ecr-digest-guard/invocations?Qualifier=%24LATEST")
                .willReturn(aResponse().withStatus(202)));

        alertQueue = AlertQueue.create("guard-alerts");
        dynamo = AwsClients.newDynamoDbClient();
        LedgerTables.create(dynamo, TABLE);
        ecr = EcrClient.builder().httpClient(AwsClients.http()).build();
        for (String repository : List.of("shop-api", "web")) {
            ecr.createRepository(r -> r.repositoryName(repository));
            ecr.putLifecyclePolicy(r -> r.repositoryName(repository).lifecyclePolicyText(KEEP_ONE));
            String old = LocalImages.push(ecr, repository, LocalImages.manifest("a"), "tag-1");
            Thread.sleep(1100); // ECR's push times are in seconds: tag-2's image is the newer one
            LocalImages.push(ecr, repository, LocalImages.manifest("b"), "tag-2");
            Thread.sleep(1100);
            digests.put(repository, LocalImages.push(ecr, repository, LocalImages.manifest("a"), "tag-3"));
            assertThat(digests.get(repository)).isEqualTo(old);
        }
        releasedBeforeTheGuard = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // CloudTrail's history holds web's re-release (shop-api's the guard sees pushed).
        CloudTrailLookups.answerWith(cloudTrailAndLambda, List.of(CloudTrailLookups.putImage(ACCOUNT, REGION, "web",
                "tag-3", digests.get("web"), releasedBeforeTheGuard)));

        handler = new PushGuardHandler(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, alertQueue.topicArn(),
                GuardConfig.LEDGER_TABLE, TABLE,
                "AWS_LAMBDA_FUNCTION_NAME", "ecr-digest-guard",
                "AWS_REGION", REGION));
    }

    @AfterAll
    static void stopLocalAws() {
        for (String property : ENDPOINTS) {
            System.clearProperty(property);
        }
        System.clearProperty("aws.endpointUrlCloudTrail");
        System.clearProperty("aws.endpointUrlLambda");
        System.clearProperty("aws.endpointUrlSts");
        if (sts != null) {
            sts.stop();
        }
        for (AutoCloseable client : new AutoCloseable[] {alertQueue, ecr, dynamo}) {
            try {
                if (client != null) {
                    client.close();
                }
            } catch (Exception ignored) {
                // closing a client of a server that is going away
            }
        }
        if (cloudTrailAndLambda != null) {
            cloudTrailAndLambda.stop();
        }
        if (moto != null) {
            moto.close();
        }
    }

    static String invoke(String event) throws Exception {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), reply,
                new FakeContext("request", "ecr-digest-guard", 60_000));
        return Json.mapper().readTree(reply.toByteArray()).get("outcome").asText();
    }

    static String ecrEvent(String action, String repository, String tag, Instant time) {
        return """
                {"version":"0","id":"%s","detail-type":"ECR Image Action","source":"aws.ecr","account":"%s",
                 "time":"%s","region":"%s","resources":[],
                 "detail":{"result":"SUCCESS","repository-name":"%s","image-digest":"%s","action-type":"%s",
                   "image-tag":"%s","manifest-media-type":"application/vnd.oci.image.manifest.v1+json"}}"""
                .formatted(action + "-" + repository + "-" + tag, ACCOUNT, time, REGION, repository,
                        digests.get(repository), action, tag);
    }

    static String sweepTick(Instant time) {
        return "{\"source\":\"ecr-digest-guard\",\"detail-type\":\"Sweep\",\"version\":\"1\",\"time\":\"" + time
                + "\",\"id\":\"execution-" + time.getEpochSecond() + "\"}";
    }

    static List<JsonNode> alerts() {
        return alertQueue.alerts();
    }

    static JsonNode report(JsonNode alert) throws Exception {
        return Json.mapper().readTree(alert.get("Message").asText());
    }

    @Test
    @Order(1)
    void push_ofARereleaseOnAnOldDigest_isAlerted_andRecordedInTheTable() throws Exception {
        // WHEN shop-api's tag-3 push reaches the function
        String outcome = invoke(ecrEvent("PUSH", "shop-api", "tag-3", Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        // THEN ECR would delete the newest release by push time: a CRITICAL alert naming it
        assertThat(outcome).isEqualTo("ALERTED");
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("Subject").asText()).contains("CRITICAL", "LIFECYCLE_EXPIRY");
        assertThat(report(alerts.get(0)).at("/findings/0/tag").asText()).isEqualTo("tag-3");
        // AND the release is in the ledger table
        Map<String, AttributeValue> release = dynamo.getItem(r -> r.tableName(TABLE).key(Map.of(
                "pk", AttributeValue.fromS("REPO#" + ACCOUNT + "#" + REGION + "#shop-api"),
                "sk", AttributeValue.fromS("RELEASE#tag-3")))).item();
        assertThat(release).containsKey("digest");
        assertThat(release.get("digest").s()).isEqualTo(digests.get("shop-api"));
        // AND STS was never asked who the function is
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    @Order(2)
    void firstSweep_backfillsFromCloudTrail_andAlertsOnlyWhatNobodyWasToldAbout() throws Exception {
        // WHEN the schedule ticks for the first time
        String outcome = invoke(sweepTick(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        // THEN it read CloudTrail's history, learned web's re-release, and alerted it; shop-api was alerted on its push
        assertThat(outcome).isEqualTo("SWEPT");
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSize(1);
        JsonNode report = report(alerts.get(0));
        assertThat(report.get("repository").asText()).isEqualTo("web");
        assertThat(report.at("/findings/0/kind").asText()).isEqualTo("LIFECYCLE_EXPIRY");
        assertThat(report.at("/findings/0/tag").asText()).isEqualTo("tag-3");
        assertThat(alerts.get(0).get("Subject").asText()).contains("CRITICAL");
        // AND the backfill is recorded as done, so the next sweep won't read CloudTrail again
        Map<String, AttributeValue> backfill = dynamo.getItem(r -> r.tableName(TABLE).key(Map.of(
                "pk", AttributeValue.fromS("REGISTRY#" + ACCOUNT + "#" + REGION),
                "sk", AttributeValue.fromS("BACKFILL")))).item();
        assertThat(backfill.get("done").bool()).isTrue();
        assertThat(backfill.get("recorded").n()).isEqualTo("1");
        // AND the sweep took its own account and partition from the function's ARN: not one STS request
        assertThat(sts.getAllServeEvents()).isEmpty();
    }

    @Test
    @Order(3)
    void nextSweep_saysNothingNew_andAFixedPolicyIsResolved() throws Exception {
        // GIVEN web's lifecycle policy removed
        ecr.deleteLifecyclePolicy(r -> r.repositoryName("web"));

        // WHEN the schedule ticks again
        String outcome = invoke(sweepTick(Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS)));

        // THEN one RESOLVED notice for web, and no repeat for shop-api (still at risk, alerted less than a day ago)
        assertThat(outcome).isEqualTo("SWEPT");
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSize(1);
        JsonNode report = report(alerts.get(0));
        assertThat(report.get("repository").asText()).isEqualTo("web");
        assertThat(report.at("/findings/0/kind").asText()).isEqualTo("RESOLVED");
    }

    @Test
    @Order(4)
    void deletionOfAReleaseAlertedAtRisk_isAPostMortem() throws Exception {
        // WHEN ECR reports shop-api's tag-3 deleted
        String outcome = invoke(ecrEvent("DELETE", "shop-api", "tag-3", Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        // THEN a CRITICAL RELEASE_DELETED alert
        assertThat(outcome).isEqualTo("RELEASE_DELETED");
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("Subject").asText()).contains("CRITICAL", "RELEASE_DELETED");
    }
}
