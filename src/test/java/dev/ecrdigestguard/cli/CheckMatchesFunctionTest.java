package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.alert.sns.SnsAlert;
import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.lambda.PushGuardHandler;
import dev.ecrdigestguard.snapshot.SnapshotImageCatalog;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.JsonTrees;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check} is the function: for every sample event against both recorded repositories, the Lambda handler and
 * the command reach the same outcome with the same findings, and the alert the command prints is the one the
 * function publishes.
 */
class CheckMatchesFunctionTest {

    private static final Map<String, String> FUNCTION_ENVIRONMENT = Map.of(
            GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
            GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard-alerts");

    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        log = new CapturedLog();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    /** The SNS channel as the function has it, minus the network: it renders and keeps what it would publish. */
    static final class PublishedAlerts implements Notifier {
        final List<SnsAlert> published = new ArrayList<>();
        final List<GuardReport> reports = new ArrayList<>();

        @Override
        public String channel() {
            return "sns";
        }

        @Override
        public void send(GuardReport report) {
            reports.add(report);
            published.add(new SnsAlertRenderer(ProductionTags.parse("tag-*")).render(report));
        }
    }

    static Stream<Arguments> everySampleAgainstEveryRecording() {
        return SampleEvents.all().stream().flatMap(event -> Stream.of("events/snapshot", "events/snapshot-expiring")
                .map(snapshot -> Arguments.of(event, snapshot)));
    }

    @ParameterizedTest(name = "{0} against {1}")
    @MethodSource("everySampleAgainstEveryRecording")
    void checkAndTheFunction_agreeOnOutcomeFindingsAndAlert(String event, String snapshot) throws Exception {
        // GIVEN the function with the recorded repository behind its catalog, and its SNS channel captured
        GuardConfig config = GuardConfig.forFunction(FUNCTION_ENVIRONMENT);
        PublishedAlerts sns = new PublishedAlerts();
        PushGuardHandler handler = new PushGuardHandler(config, () -> new GuardPorts(
                SnapshotImageCatalog.open(Path.of(snapshot)), new AlertFanOut(List.of(sns))));

        // WHEN both run the event
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try (InputStream input = SampleEvents.open(event)) {
            handler.handleRequest(input, reply, new FakeContext("req-1", "ecr-digest-guard", 30_000));
        }
        String outcome = Json.mapper().readTree(reply.toByteArray()).get("outcome").asText();
        CheckCommandTest.Run check = CheckCommandTest.run("check", "--event", SampleEvents.path(event).toString(),
                "--snapshot", snapshot, "--production-tags", "tag-*", "--format", "json");

        // THEN a malformed event is bad input to both; otherwise they agree on everything
        if (outcome.equals("MALFORMED")) {
            assertThat(check.status()).isEqualTo(Main.BAD_INPUT);
            return;
        }
        JsonNode printed = check.json();
        assertThat(printed.get("outcome").asText()).isEqualTo(outcome);
        List<Map<String, Object>> functionFindings = sns.reports.stream()
                .flatMap(report -> report.findings().stream()).map(finding -> finding.details()).toList();
        // Compared as parsed JSON text, so a long and an int of the same value are equal.
        assertThat(printed.get("findings")).isEqualTo(Json.mapper().readTree(JsonTrees.write(functionFindings)));
        if (sns.published.isEmpty()) {
            assertThat(printed.get("alert").isNull()).isTrue();
            assertThat(check.status()).isEqualTo(Main.OK);
        } else {
            SnsAlert published = sns.published.get(0);
            assertThat(printed.at("/alert/subject").asText()).isEqualTo(published.subject());
            assertThat(printed.at("/alert/message")).isEqualTo(Json.mapper().readTree(published.message()));
            published.attributes().forEach((name, attribute) -> assertThat(
                    printed.at("/alert/messageAttributes/" + name + "/StringValue").asText())
                    .isEqualTo(attribute.value()));
            assertThat(check.status()).isEqualTo(Main.FINDINGS);
        }
    }
}
