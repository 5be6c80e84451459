package dev.ecrdigestguard.alert.slack;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.Wording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    public SlackMessage render(GuardReport report) {
        if (!report.hasFindings()) {
            throw new IllegalArgumentException("a report without findings raises no alert");
        }
        PushEvent event = report.event();
        Finding first = report.findings().get(0);
        List<Map<String, Object>> blocks = new ArrayList<>();

        Map<String, Object> headerText = block("plain_text");
        headerText.put("emoji", true);
        headerText.put("text", SlackText.fit(icon(first) + first.title(), HEADER_LIMIT));
        Map<String, Object> header = block("header");
        header.put("text", headerText);
        blocks.add(header);

        int count = report.findings().size();
        section(blocks, "ecr-digest-guard found *" + count + (count == 1 ? " problem*" : " problems*")
                + " with the push of `" + SlackText.escape(event.repository() + ":" + event.tag()) + "` at "
                + SlackText.escape(event.time().toString()) + ".");

        List<Map<String, Object>> fields = new ArrayList<>();
        for (String field : fields(report)) {
            if (fields.size() < FIELDS_LIMIT) {
                fields.add(mrkdwn(field));
            }
        }
        Map<String, Object> fieldsSection = block("section");
        fieldsSection.put("fields", fields);
        blocks.add(fieldsSection);

        int room = (BLOCKS_LIMIT - FIXED_BLOCKS) / BLOCKS_PER_FINDING;
        List<Finding> shown = report.findings().subList(0, Math.min(count, room));
        for (Finding finding : shown) {
            blocks.add(block("divider"));
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

        Map<String, Object> context = block("context");
        context.put("elements", List.of(mrkdwn(SlackText.fit("ecr-digest-guard · account " + event.account() + " · "
                + event.region() + " · event " + event.eventId(), SECTION_LIMIT))));
        blocks.add(context);

        return new SlackMessage(SlackText.fit(fallback(report), TEXT_LIMIT), blocks);
    }

    private static String icon(Finding finding) {
        return finding.severity() == Finding.Severity.CRITICAL ? ":rotating_light: " : ":warning: ";
    }

    /** A Block Kit object of the given type; its other members follow in the order they are put. */
    private static Map<String, Object> block(String type) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", type);
        return block;
    }

    private static Map<String, Object> mrkdwn(String text) {
        Map<String, Object> element = block("mrkdwn");
        element.put("text", text);
        return element;
    }

    /** Section text is cut after the markup is in, so the limit holds whatever the values are. */
    private static void section(List<Map<String, Object>> blocks, String mrkdwn) {
        String text = mrkdwn.length() <= SECTION_LIMIT ? mrkdwn
                : mrkdwn.substring(0, safeCut(mrkdwn, SECTION_LIMIT - 1)) + "…";
        Map<String, Object> section = block("section");
        section.put("text", mrkdwn(text));
        blocks.add(section);
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

    /** The title of the most severe lifecycle finding: what the policy will do to the release. */
    static Optional<String> lifecycleVerdict(GuardReport report) {
        return report.findings().stream()
                .filter(finding -> finding.kind() == Finding.Kind.LIFECYCLE_EXPIRY
                        || finding.kind() == Finding.Kind.LIFECYCLE_OUTRANKED)
                .map(Finding::title)
                .findFirst();
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
