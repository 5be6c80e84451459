package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.app.GuardAssembly;
import dev.ecrdigestguard.aws.AwsSecretSource;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.snapshot.SnapshotImageCatalog;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.FakeContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler with both alert channels: SNS as a fake port, Slack as the real notifier whose webhook URL comes from
 * Secrets Manager through the real SDK. One local server plays Secrets Manager and the Slack webhook.
 */
class PushGuardHandlerAlertingTest {

    private static final SecretArn SECRET =
            SecretArn.parse("arn:aws:secretsmanager:eu-west-1:123456789012:secret:guard/slack-AbCdEf");
    private static final String WEBHOOK_PATH = "/services/T0AAAA/B0BBBB/s3cr3tT0k3nXYZ";
    private static final String COLLISION = "events/push-collision.json";

    private WireMockServer local;
    private CapturedLog log;
    private final FakeSns sns = new FakeSns();

    /** Records what it publishes; fails with a retryable error when {@code down}. */
    static final class FakeSns implements Notifier {
        boolean down;
        final List<GuardReport> sent = new ArrayList<>();

        @Override
        public String channel() {
            return "sns";
        }

        @Override
        public void send(GuardReport report) {
            if (down) {
                throw new NotificationException("sns:Publish on topic t failed: InternalError (HTTP 500)", true, null);
            }
            sent.add(report);
        }
    }

    @BeforeEach
    void start() {
        local = new WireMockServer(options().dynamicPort());
        local.start();
        System.setProperty("aws.endpointUrlSecretsManager", local.baseUrl());
        log = new CapturedLog();
        local.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"ARN\":\"" + SECRET + "\",\"SecretString\":\"" + local.baseUrl() + WEBHOOK_PATH
                                + "\"}")));
        slackAnswers(200, "ok");
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlSecretsManager");
        local.stop();
        log.close();
    }

    private void slackAnswers(int status, String body) {
        local.stubFor(post(WEBHOOK_PATH).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    private PushGuardHandler handler(Map<String, String> extraEnvironment) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard-alerts",
                GuardConfig.SLACK_WEBHOOK_SECRET_ARN, SECRET.value()));
        environment.putAll(extraEnvironment);
        GuardConfig config = GuardConfig.forFunction(environment);
        return new PushGuardHandler(config, () -> new GuardPorts(SnapshotImageCatalog.open(Path.of("events/snapshot")),
                new AlertFanOut(List.of(sns,
                        GuardAssembly.slackNotifier(config.slackWebhookSecret().orElseThrow(),
                                new AwsSecretSource(), config.productionTags())))));
    }

    private String invoke(PushGuardHandler handler, String eventFile, String requestId) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream input = Files.newInputStream(Path.of(eventFile))) {
            handler.handleRequest(input, output, new FakeContext(requestId, "ecr-digest-guard", 30_000));
        }
        return Json.mapper().readTree(output.toByteArray()).get("outcome").asText();
    }

    /** The embedded-metric-format line: the one log line with an {@code _aws} member. */
    private List<JsonNode> metricLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.lines()) {
            JsonNode node = Json.mapper().readTree(line);
            if (node.has("_aws")) {
                lines.add(node);
            }
        }
        return lines;
    }

    private void assertSecretNeverLogged() {
        assertThat(log.text()).doesNotContain("s3cr3t", "B0BBBB", WEBHOOK_PATH);
    }

    @Test
    void bothChannelsUp_alertReachesBoth_andTheSecretIsReadOncePerContainer() throws IOException {
        PushGuardHandler handler = handler(Map.of());

        assertThat(invoke(handler, COLLISION, "req-1")).isEqualTo("ALERTED");
        assertThat(invoke(handler, COLLISION, "req-2")).isEqualTo("ALERTED");

        local.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")));
        local.verify(2, postRequestedFor(urlEqualTo(WEBHOOK_PATH)));
        assertThat(sns.sent).hasSize(2);
        List<JsonNode> metrics = metricLines();
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(0).get("AlertsSentSns").asLong()).isEqualTo(1);
        assertThat(metrics.get(0).get("AlertsSentSlack").asLong()).isEqualTo(1);
        assertThat(metrics.get(0).get("AlertsFailed").asLong()).isZero();
        assertThat(metrics.get(0).get("FindingsSharedDigest").asLong()).isEqualTo(1);
        assertThat(metrics.get(1).get("requestId").asText()).isEqualTo("req-2");
        assertSecretNeverLogged();
    }

    @Test
    void snsDown_slackUp_slackDelivers_andTheInvocationSucceeds() throws IOException {
        sns.down = true;

        String outcome = invoke(handler(Map.of()), COLLISION, "req-1");

        assertThat(outcome).isEqualTo("ALERTED_PARTIALLY");
        local.verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH)));
        JsonNode metrics = metricLines().get(0);
        assertThat(metrics.get("AlertsSentSlack").asLong()).isEqualTo(1);
        assertThat(metrics.get("AlertsFailedSns").asLong()).isEqualTo(1);
        assertThat(metrics.get("AlertsUndelivered").asLong()).isZero();
        assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                .contains("\"level\":\"ERROR\"", "alert not sent", "\"channel\":\"sns\""));
    }

    @Test
    void snsUp_slackRejects_snsDelivers_slackFailureLoggedOnceWithStatus_andCountedAsRejected() throws IOException {
        slackAnswers(404, "no_service");

        String outcome = invoke(handler(Map.of()), COLLISION, "req-1");

        assertThat(outcome).isEqualTo("ALERTED_PARTIALLY");
        assertThat(sns.sent).hasSize(1);
        local.verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH)));
        assertThat(log.lines().stream().filter(line -> line.contains("HTTP 404"))).hasSize(1);
        JsonNode metrics = metricLines().get(0);
        assertThat(metrics.get("AlertsFailedSlack").asLong()).isEqualTo(1);
        assertThat(metrics.get("AlertsRejectedSlack").asLong()).isEqualTo(1);
        assertThat(metrics.get("AlertsSentSns").asLong()).isEqualTo(1);
        assertSecretNeverLogged();
    }

    @Test
    void snsUp_secretUnreadable_snsDelivers_andTheErrorNamesTheSecretArn() throws IOException {
        local.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"AccessDeniedException\",\"Message\":\"not authorized\"}")));

        String outcome = invoke(handler(Map.of()), COLLISION, "req-1");

        assertThat(outcome).isEqualTo("ALERTED_PARTIALLY");
        assertThat(sns.sent).hasSize(1);
        assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                .contains("alert not sent", SECRET.value(), "AccessDeniedException", "secretsmanager:GetSecretValue"));
        assertThat(metricLines().get(0).get("AlertsRejectedSlack").asLong()).isEqualTo(1);
    }

    @Test
    void bothDown_invocationFails_forLambdaToRetry_andMetricsAreStillWritten() throws IOException {
        sns.down = true;
        slackAnswers(403, "action_prohibited");

        assertThatThrownBy(() -> invoke(handler(Map.of()), COLLISION, "req-1"))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("no channel got the alert (sns, slack)")
                .satisfies(e -> assertThat(((NotificationException) e).retryable()).isTrue());

        JsonNode metrics = metricLines().get(0);
        assertThat(metrics.get("AlertsUndelivered").asLong()).isEqualTo(1);
        assertThat(metrics.get("AlertsFailed").asLong()).isEqualTo(2);
        assertThat(metrics.get("outcome").asText()).isEqualTo("FAILED");
        assertSecretNeverLogged();
    }

    @Test
    void silencedRepository_isCheckedAndCounted_butNoAlertIsSent() throws IOException {
        String outcome = invoke(handler(Map.of(GuardConfig.SILENCED_REPOSITORIES, "sandbox/*,shop-*")),
                COLLISION, "req-1");

        assertThat(outcome).isEqualTo("SILENCED");
        assertThat(sns.sent).isEmpty();
        local.verify(0, postRequestedFor(urlEqualTo(WEBHOOK_PATH)));
        JsonNode metrics = metricLines().get(0);
        assertThat(metrics.get("SilencedAlerts").asLong()).isEqualTo(1);
        assertThat(metrics.get("Findings").asLong()).isEqualTo(1);
    }

    @Test
    void everyLogLine_carriesRequestEventRepositoryTagAndDigest() throws IOException {
        invoke(handler(Map.of()), COLLISION, "req-7");

        List<String> lines = log.lines();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode node = Json.mapper().readTree(line);
            assertThat(node.get("requestId").asText()).isEqualTo("req-7");
            assertThat(node.get("eventId").asText()).isEqualTo("0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b");
            assertThat(node.get("repository").asText()).isEqualTo("shop-api");
            assertThat(node.get("tag").asText()).isEqualTo("tag-1-253-0");
            assertThat(node.get("imageDigest").asText()).startsWith("sha256:ec1477a7420a");
        }
    }

    @Test
    void nonProductionPush_buildsNoPorts_andCountsThePush() throws IOException {
        AtomicInteger built = new AtomicInteger();
        GuardConfig config = GuardConfig.forFunction(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard-alerts"));
        PushGuardHandler handler = new PushGuardHandler(config, () -> {
            built.incrementAndGet();
            throw new AssertionError("no ports for a non-production push");
        });

        assertThat(invoke(handler, "events/push-non-production.json", "req-1")).isEqualTo("NOT_PRODUCTION");

        assertThat(built).hasValue(0);
        JsonNode metrics = metricLines().get(0);
        assertThat(metrics.get("PushesSeen").asLong()).isEqualTo(1);
        assertThat(metrics.get("ProductionPushes").asLong()).isZero();
        assertThat(metrics.get("FunctionName").asText()).isEqualTo("ecr-digest-guard");
    }
}
