package dev.ecrdigestguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static JsonNode emf(GuardMetrics metrics, Map<String, String> properties) throws Exception {
        return Json.mapper().readTree(metrics.toEmf(NOW, "ecr-digest-guard", properties));
    }

    @Test
    void toEmf_isAValidEmbeddedMetricDocument_everyDeclaredMetricHasANumber() throws Exception {
        GuardMetrics metrics = new GuardMetrics();
        metrics.pushSeen();
        metrics.productionPush();
        metrics.finding(Finding.Kind.SHARED_DIGEST);
        metrics.alertSent("sns");
        metrics.alertFailed("slack", true);

        JsonNode document = emf(metrics, Map.of());

        assertThat(document.at("/_aws/Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        JsonNode directive = document.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("EcrDigestGuard");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"FunctionName\"]]");
        assertThat(document.get("FunctionName").asText()).isEqualTo("ecr-digest-guard");
        assertThat(directive.get("Metrics").size()).isLessThanOrEqualTo(100);
        for (JsonNode metric : directive.get("Metrics")) {
            assertThat(metric.get("Unit").asText()).isEqualTo("Count");
            assertThat(document.get(metric.get("Name").asText()).isNumber()).isTrue();
        }
        assertThat(document.get("FindingsSharedDigest").asLong()).isEqualTo(1);
        assertThat(document.get("AlertsSentSns").asLong()).isEqualTo(1);
        assertThat(document.get("AlertsFailedSlack").asLong()).isEqualTo(1);
        assertThat(document.get("AlertsRejectedSlack").asLong()).isEqualTo(1);
    }

    @Test
    void toEmf_alwaysWritesTheTotals_zeroIncluded_soAlarmsNeverSeeMissingData() throws Exception {
        JsonNode document = emf(new GuardMetrics(), Map.of());

        for (String total : new String[] {"PushesSeen", "ProductionPushes", "Findings", "AlertsSent", "AlertsFailed",
            "AlertsUndelivered", "Retags"}) {
            assertThat(document.get(total).asLong()).as(total).isZero();
        }
    }

    @Test
    void toEmf_addsPropertiesAsPlainMembers_neverOverridingAMetricOrTheDimension() throws Exception {
        GuardMetrics metrics = new GuardMetrics();
        metrics.retagged();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("eventId", "e-1");
        properties.put("Retags", "not a number");
        properties.put("FunctionName", "other");

        JsonNode document = emf(metrics, properties);

        assertThat(document.get("eventId").asText()).isEqualTo("e-1");
        assertThat(document.get("Retags").asLong()).isEqualTo(1);
        assertThat(document.get("FunctionName").asText()).isEqualTo("ecr-digest-guard");
    }
}
