package dev.ecrdigestguard.alert.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.Wording;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a report as a Block Kit message: a header, a fields section (repository, tag, short digest, other
 * production tags, lifecycle verdict when a finding carries one), each finding with its explanation and next steps,
 * and a plain-text fallback. Pure: a report in, a message out.
 *
 * <p>Slack rejects a message that breaks a limit rather than cutting it, so every value is escaped and then cut to
 * the limit of its place: header 150 characters, section text 3000, field text 2000, 10 fields, 50 blocks.
 */
public final class SlackMessageRenderer {

    static final int HEADER_LIMIT = 150;
    static final int SECTION_LIMIT = 3000;
    static final int FIELD_LIMIT = 2000;
    static final int FIELDS_LIMIT = 10;
    static final int BLOCKS_LIMIT = 50;
    /** Slack truncates longer top-level text; the fallback is a summary, so keep it to a section's size. */
    static final int TEXT_LIMIT = 3000;
    /** Blocks around the findings: header, summary, fields, context, and one "more findings" note. */
    private static final int FIXED_BLOCKS = 5;
    private static final int BLOCKS_PER_FINDING = 3;
    /** Detail keys a lifecycle finding may carry its verdict under, most specific first. */
    private static final List<String> VERDICT_KEYS = List.of("lifecycleVerdict", "verdict", "decision");

    public SlackMessage render(GuardReport report) {
        if (!report.hasFindings()) {
            throw new IllegalArgumentException("a report without findings raises no alert");
        }
        PushEvent event = report.event();
        Finding first = report.findings().get(0);
        ArrayNode blocks = Json.mapper().createArrayNode();

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("emoji", true)
                .put("text", SlackText.fit(icon(first) + first.title(), HEADER_LIMIT));

        int count = report.findings().size();
        section(blocks, "ecr-digest-guard found *" + count + (count == 1 ? " problem*" : " problems*")
                + " with the push of `" + SlackText.escape(event.repository() + ":" + event.tag()) + "` at "
                + SlackText.escape(event.time().toString()) + ".");

        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        for (String field : fields(report)) {
            if (fields.size() < FIELDS_LIMIT) {
                fields.addObject().put("type", "mrkdwn").put("text", field);
            }
        }

        int room = (BLOCKS_LIMIT - FIXED_BLOCKS) / BLOCKS_PER_FINDING;
        List<Finding> shown = report.findings().subList(0, Math.min(count, room));
        for (Finding finding : shown) {
            blocks.addObject().put("type", "divider");
            section(blocks, "*" + finding.severity() + " " + finding.kind() + "*: " + SlackText.escape(finding.title())
                    + "\n" + SlackText.escape(finding.explanation()));
            StringBuilder steps = new StringBuilder("*Next steps*");
            for (String step : finding.nextSteps()) {
                steps.append("\n• ").append(SlackText.escape(step));
            }
            section(blocks, steps.toString());
        }
        if (shown.size() < count) {
            section(blocks, "…and " + (count - shown.size()) + " more finding(s): see the SNS alert or the "
                    + "function's logs for event " + SlackText.escape(event.eventId()) + ".");
        }

        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text", SlackText.fit(
                "ecr-digest-guard · account " + event.account() + " · " + event.region() + " · event "
                        + event.eventId(), SECTION_LIMIT));

        return new SlackMessage(SlackText.fit(fallback(report), TEXT_LIMIT), blocks);
    }

    private static String icon(Finding finding) {
        return finding.severity() == Finding.Severity.CRITICAL ? ":rotating_light: " : ":warning: ";
    }

    /** Section text is cut after the markup is in, so the limit holds whatever the values are. */
    private static void section(ArrayNode blocks, String mrkdwn) {
        String text = mrkdwn.length() <= SECTION_LIMIT ? mrkdwn
                : mrkdwn.substring(0, safeCut(mrkdwn, SECTION_LIMIT - 1)) + "…";
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", text);
    }

    /** A cut position that doesn't split an entity such as {@code &amp;} that is already in the text. */
    private static int safeCut(String escaped, int at) {
        int amp = escaped.lastIndexOf('&', at - 1);
        if (amp >= 0 && escaped.indexOf(';', amp) >= at) {
            return amp;
        }
        return at;
    }

    static List<String> fields(GuardReport report) {
        PushEvent event = report.event();
        List<String> fields = new ArrayList<>();
        fields.add(field("Repository", event.repository().value()));
        fields.add(field("Tag", event.tag().value()));
        fields.add("*Digest*\n`" + SlackText.escape(event.digest().shortForm()) + "`");
        Set<String> others = new LinkedHashSet<>();
        for (Finding finding : report.findings()) {
            if (finding.details().get("otherProductionTags") instanceof List<?> tags) {
                tags.forEach(tag -> others.add(String.valueOf(tag)));
            }
        }
        if (!others.isEmpty()) {
            fields.add(field("Other production tags", Wording.listOf(List.copyOf(others), 20)));
        }
        lifecycleVerdict(report).ifPresent(verdict -> fields.add(field("Lifecycle verdict", verdict)));
        fields.add(field("Severity", report.highestSeverity().orElseThrow().name()));
        return fields;
    }

    /** The verdict a lifecycle finding states, or its title when it states none separately. */
    static Optional<String> lifecycleVerdict(GuardReport report) {
        for (Finding finding : report.findings()) {
            for (String key : VERDICT_KEYS) {
                Object verdict = finding.details().get(key);
                if (verdict != null && !String.valueOf(verdict).isBlank()) {
                    return Optional.of(String.valueOf(verdict));
                }
            }
            if (finding.kind() == Finding.Kind.LIFECYCLE_EXPIRY || finding.kind() == Finding.Kind.LIFECYCLE_OUTRANKED) {
                return Optional.of(finding.title());
            }
        }
        return Optional.empty();
    }

    private static String field(String label, String value) {
        String prefix = "*" + label + "*\n";
        return prefix + SlackText.fit(value, FIELD_LIMIT - prefix.length());
    }

    static String fallback(GuardReport report) {
        StringBuilder text = new StringBuilder();
        for (Finding finding : report.findings()) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(finding.severity()).append(' ').append(finding.kind()).append(": ").append(finding.title());
        }
        return text.toString();
    }
}
