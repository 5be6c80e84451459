package dev.ecrdigestguard.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.finding.Finding;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The counters of one invocation, written at its end as one CloudWatch embedded-metric-format (EMF) line: CloudWatch
 * Logs turns the line into metrics in namespace {@value #NAMESPACE}, with no API call and no extra client.
 *
 * <p>EMF gives each dimension one value per line, so per-channel and per-kind counts carry the channel or kind in the
 * metric name ({@code AlertsFailedSlack}, {@code FindingsSharedDigest}) rather than in a dimension. The totals are
 * always written, zero included, so alarms see data on every invocation instead of treating silence as missing.
 *
 * <p>Not thread-safe: one instance per invocation.
 */
public final class GuardMetrics {

    public static final String NAMESPACE = "EcrDigestGuard";
    public static final String DIMENSION = "FunctionName";

    public static final String PUSHES_SEEN = "PushesSeen";
    public static final String PRODUCTION_PUSHES = "ProductionPushes";
    public static final String MALFORMED_EVENTS = "MalformedEvents";
    public static final String FINDINGS = "Findings";
    public static final String SILENCED = "SilencedAlerts";
    public static final String ALERTS_SENT = "AlertsSent";
    public static final String ALERTS_FAILED = "AlertsFailed";
    public static final String ALERTS_REJECTED = "AlertsRejected";
    public static final String ALERTS_UNDELIVERED = "AlertsUndelivered";
    public static final String RETAGS = "Retags";
    public static final String RETAGS_REFUSED = "RetagsRefused";
    // ---- the sweep and the post-mortem (issue 10)
    /** Releases expiring out of turn now or within the sweep's horizon, counted by each sweep invocation. */
    public static final String RELEASES_AT_RISK = "ReleasesAtRisk";
    public static final String REPOSITORIES_SWEPT = "RepositoriesSwept";
    /** Repositories a sweep could not judge (read failures, no time left); its log says which and why. */
    public static final String REPOSITORIES_NOT_JUDGED = "RepositoriesNotJudged";
    public static final String RELEASES_DELETED_OUT_OF_TURN = "ReleasesDeletedOutOfTurn";
    /** Production tags deleted that the guard had not found at risk: rotation, or a person's choice. */
    public static final String RELEASE_DELETIONS_IN_TURN = "ReleaseDeletionsInTurn";
    public static final String ACCOUNTS_UNREACHABLE = "AccountsUnreachable";

    private static final List<String> ALWAYS = List.of(PUSHES_SEEN, PRODUCTION_PUSHES, FINDINGS, ALERTS_SENT,
            ALERTS_FAILED, ALERTS_UNDELIVERED, RETAGS);
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Long> counts = new LinkedHashMap<>();

    public GuardMetrics() {
        ALWAYS.forEach(name -> counts.put(name, 0L));
    }

    /** Adds to a counter by name; the named methods below cover what the guard counts. */
    public void count(String name, long amount) {
        if (name == null || name.isBlank() || name.startsWith("_")) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
        counts.merge(name, amount, Long::sum);
    }

    public void pushSeen() {
        count(PUSHES_SEEN, 1);
    }

    public void productionPush() {
        count(PRODUCTION_PUSHES, 1);
    }

    public void malformedEvent() {
        count(MALFORMED_EVENTS, 1);
    }

    public void finding(Finding.Kind kind) {
        count(FINDINGS, 1);
        count(FINDINGS + pascal(kind.name()), 1);
    }

    public void silenced() {
        count(SILENCED, 1);
    }

    public void alertSent(String channel) {
        count(ALERTS_SENT, 1);
        count(ALERTS_SENT + pascal(channel), 1);
    }

    /** {@code rejected}: the channel refused in a way no retry fixes (configuration), counted on its own too. */
    public void alertFailed(String channel, boolean rejected) {
        count(ALERTS_FAILED, 1);
        count(ALERTS_FAILED + pascal(channel), 1);
        if (rejected) {
            count(ALERTS_REJECTED + pascal(channel), 1);
        }
    }

    /** No channel got the alert: the invocation fails and Lambda retries it. */
    public void alertUndelivered() {
        count(ALERTS_UNDELIVERED, 1);
    }

    /**
     * A release was given a digest of its own. The Lambda function counts this from the report's {@code RETAGGED}
     * findings; other code calls it only for re-tags that raise no finding, so nothing is counted twice.
     */
    public void retagged() {
        count(RETAGS, 1);
    }

    public void retagRefused() {
        count(RETAGS_REFUSED, 1);
    }

    public long value(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /**
     * The EMF document: {@code _aws} metadata, the dimension, every counter, and {@code properties} (event id,
     * request id) as plain members for Logs Insights, which CloudWatch does not turn into metrics.
     */
    public String toEmf(Instant timestamp, String functionName, Map<String, String> properties) {
        StringWriter line = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", timestamp.toEpochMilli());
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", NAMESPACE);
            json.writeArrayFieldStart("Dimensions");
            json.writeStartArray();
            json.writeString(DIMENSION);
            json.writeEndArray();
            json.writeEndArray();
            json.writeArrayFieldStart("Metrics");
            for (String name : counts.keySet()) {
                json.writeStartObject();
                json.writeStringField("Name", name);
                json.writeStringField("Unit", "Count");
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField(DIMENSION, functionName);
            for (Map.Entry<String, Long> count : counts.entrySet()) {
                json.writeNumberField(count.getKey(), count.getValue());
            }
            for (Map.Entry<String, String> property : properties.entrySet()) {
                if (!counts.containsKey(property.getKey()) && !property.getKey().equals(DIMENSION)
                        && property.getValue() != null) {
                    json.writeStringField(property.getKey(), property.getValue());
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }

    /** {@code SHARED_DIGEST} → {@code SharedDigest}, {@code slack} → {@code Slack}. */
    static String pascal(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.toLowerCase(Locale.ROOT).split("[_\\-\\s]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
