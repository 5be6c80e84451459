package dev.ecrdigestguard.alert.sns;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.json.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a report as one SNS message with a body per protocol ({@code MessageStructure=json}):
 * <ul>
 *   <li>{@code default}, {@code email}: plain text for people;</li>
 *   <li>{@code https}: an AWS Chatbot (Amazon Q Developer in chat applications) custom notification, which is what a
 *       Chatbot-linked Slack or Teams channel receives over its HTTPS subscription;</li>
 *   <li>{@code sqs}, {@code lambda}: the report as JSON for machines.</li>
 * </ul>
 * SNS limits: the subject is at most 100 printable ASCII characters without line breaks; the whole message at most
 * 256 KB, so long lists are cut (with a count of what was left out) until it fits.
 *
 * <p>The JSON is built from plain maps and lists and written by {@link JsonText} (streaming only): this runs on the
 * Lambda function's cold path, where the data-binding mapper alone would cost a few hundred milliseconds.
 */
public final class SnsAlertRenderer {

    static final int SUBJECT_LIMIT = 99;
    /** SNS's limit is 262,144 bytes for message, subject and attributes together; keep a margin for JSON escaping. */
    static final int SIZE_LIMIT = 256 * 1024 - 4 * 1024;
    private static final int[] LIST_LIMITS = {50, 10, 3};

    public SnsAlert render(GuardReport report) {
        if (!report.hasFindings()) {
            throw new IllegalArgumentException("a report without findings raises no alert");
        }
        SnsAlert alert = null;
        for (int limit : LIST_LIMITS) {
            alert = render(report, limit);
            if (alert.sizeInBytes() <= SIZE_LIMIT) {
                return alert;
            }
        }
        return alert;
    }

    private SnsAlert render(GuardReport report, int listLimit) {
        String text = plainText(report, listLimit);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("default", text);
        message.put("email", text);
        message.put("https", JsonText.write(chatbotNotification(report, listLimit)));
        String machine = JsonText.write(machineReport(report, listLimit));
        message.put("sqs", machine);
        message.put("lambda", machine);
        return new SnsAlert(subject(report), JsonText.write(message), attributes(report));
    }

    /** A subject SNS accepts: ASCII, no line breaks, under 100 characters. */
    static String subject(GuardReport report) {
        Finding first = report.findings().get(0);
        String text = "[ecr-digest-guard] " + first.severity() + " " + first.kind() + ": " + first.tag() + " in "
                + first.repository();
        StringBuilder ascii = new StringBuilder();
        for (char c : text.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        String clean = ascii.toString();
        return clean.length() <= SUBJECT_LIMIT ? clean : clean.substring(0, SUBJECT_LIMIT - 3) + "...";
    }

    static String plainText(GuardReport report, int listLimit) {
        PushEvent event = report.event();
        StringBuilder text = new StringBuilder();
        text.append("ecr-digest-guard found ").append(report.findings().size())
                .append(report.findings().size() == 1 ? " problem" : " problems")
                .append(" with the push of ").append(event.repository()).append(':').append(event.tag())
                .append(" (").append(event.digest()).append(") at ").append(event.time()).append(".\n");
        for (Finding finding : report.findings()) {
            text.append("\n").append(finding.severity()).append(" ").append(finding.kind()).append(": ")
                    .append(finding.title()).append("\n\n")
                    .append(cut(finding.explanation(), listLimit)).append("\n\nWhat to do:\n");
            for (String step : finding.nextSteps()) {
                text.append("  - ").append(step).append('\n');
            }
        }
        text.append("\nAccount ").append(event.account()).append(", region ").append(event.region())
                .append(", event ").append(event.eventId()).append(".\n");
        return text.toString();
    }

    static Map<String, Object> chatbotNotification(GuardReport report, int listLimit) {
        PushEvent event = report.event();
        Finding first = report.findings().get(0);
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("version", "1.0");
        notification.put("source", "custom");
        notification.put("id", event.eventId());
        Map<String, Object> content = new LinkedHashMap<>();
        notification.put("content", content);
        content.put("textType", "client-markdown");
        content.put("title", (first.severity() == Finding.Severity.CRITICAL ? ":rotating_light: " : ":warning: ")
                + first.title());
        StringBuilder description = new StringBuilder();
        for (Finding finding : report.findings()) {
            if (description.length() > 0) {
                description.append("\n\n");
            }
            description.append("*").append(finding.kind()).append("* ").append(cut(finding.explanation(), listLimit));
        }
        content.put("description", description.toString());
        Set<String> steps = new LinkedHashSet<>();
        report.findings().forEach(finding -> steps.addAll(finding.nextSteps()));
        content.put("nextSteps", List.copyOf(steps));
        List<String> keywords = new ArrayList<>();
        keywords.add(event.repository().value());
        report.findings().stream().map(f -> f.kind().name()).distinct().forEach(keywords::add);
        report.highestSeverity().ifPresent(severity -> keywords.add(severity.name()));
        content.put("keywords", keywords);
        Map<String, Object> metadata = new LinkedHashMap<>();
        notification.put("metadata", metadata);
        // One thread per repository and digest, so every release that lands on the same image groups together.
        metadata.put("threadId", event.repository() + "@" + event.digest().shortForm());
        metadata.put("summary", first.title());
        metadata.put("eventType", first.kind().name());
        metadata.put("relatedResources", List.of(event.repository() + "@" + event.digest()));
        Map<String, Object> context = new LinkedHashMap<>();
        metadata.put("additionalContext", context);
        context.put("account", event.account());
        context.put("region", event.region());
        context.put("repository", event.repository().value());
        context.put("tag", event.tag().value());
        context.put("imageDigest", event.digest().value());
        for (Finding finding : report.findings()) {
            for (Map.Entry<String, Object> field : finding.details().entrySet()) {
                if (!context.containsKey(field.getKey())) {
                    context.put(field.getKey(), contextValue(field.getValue(), listLimit));
                }
            }
        }
        return notification;
    }

    static Map<String, Object> machineReport(GuardReport report, int listLimit) {
        Map<String, Object> root = new LinkedHashMap<>();
        PushEvent event = report.event();
        root.put("eventId", event.eventId());
        root.put("eventTime", event.time().toString());
        root.put("account", event.account());
        root.put("region", event.region());
        root.put("repository", event.repository().value());
        root.put("tag", event.tag().value());
        root.put("imageDigest", event.digest().value());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding finding : report.findings()) {
            findings.add(cutLists(finding.details(), listLimit));
        }
        root.put("findings", findings);
        return root;
    }

    /** Lists longer than the limit keep their first entries; a sibling field {@code <name>Omitted} counts the rest. */
    static Map<String, Object> cutLists(Map<String, Object> details, int listLimit) {
        Map<String, Object> cut = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : details.entrySet()) {
            if (field.getValue() instanceof List<?> list && list.size() > listLimit) {
                cut.put(field.getKey(), list.subList(0, listLimit));
                cut.put(field.getKey() + "Omitted", list.size() - listLimit);
            } else {
                cut.put(field.getKey(), field.getValue());
            }
        }
        return cut;
    }

    private static String contextValue(Object value, int listLimit) {
        if (value instanceof List<?> list) {
            List<?> shown = list.size() > listLimit ? list.subList(0, listLimit) : list;
            String joined = String.join(", ", shown.stream().map(String::valueOf).toList());
            return list.size() > listLimit ? joined + " (+" + (list.size() - listLimit) + " more)" : joined;
        }
        return String.valueOf(value);
    }

    /** Explanations name at most ten tags already; at the tightest limits, cap their length too. */
    private static String cut(String text, int listLimit) {
        int max = listLimit * 400;
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    static Map<String, SnsAlert.Attribute> attributes(GuardReport report) {
        Map<String, SnsAlert.Attribute> attributes = new LinkedHashMap<>();
        attributes.put("repository", new SnsAlert.Attribute("String", report.event().repository().value()));
        List<String> kinds = report.findings().stream().map(f -> f.kind().name()).distinct().toList();
        attributes.put("findingKind", new SnsAlert.Attribute("String.Array", JsonText.write(kinds)));
        attributes.put("severity", new SnsAlert.Attribute("String",
                report.highestSeverity().orElseThrow().name()));
        // For filter policies across an organization ("only account 111122223333"). SNS rejects an empty value.
        if (!report.event().account().isEmpty()) {
            attributes.put("account", new SnsAlert.Attribute("String", report.event().account()));
        }
        if (!report.event().region().isEmpty()) {
            attributes.put("region", new SnsAlert.Attribute("String", report.event().region()));
        }
        return attributes;
    }
}
