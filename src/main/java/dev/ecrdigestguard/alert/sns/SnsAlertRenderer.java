package dev.ecrdigestguard.alert.sns;

import dev.ecrdigestguard.alert.ActionPlan;
import dev.ecrdigestguard.alert.AlertText;
import dev.ecrdigestguard.config.AwsRegion;
import dev.ecrdigestguard.config.BuildInfo;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.JsonText;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a report as one SNS message with a body per protocol ({@code MessageStructure=json}):
 * <ul>
 *   <li>{@code default}, {@code email}: plain text for people, in the order they act: what happened in one line,
 *       "Do now" with its command, the command that confirms the fix, every other step once, links to the image in
 *       the ECR console and to the runbook, and only then the findings' explanations;</li>
 *   <li>{@code https}: an AWS Chatbot (Amazon Q Developer in chat applications) custom notification, which is what a
 *       Chatbot-linked Slack or Teams channel receives over its HTTPS subscription: short enough for a phone, the
 *       commands in code format, each finding's fields kept apart in {@code additionalContext};</li>
 *   <li>{@code sqs}, {@code lambda}: the report as JSON for machines, with the same plan.</li>
 * </ul>
 * Every channel renders the same {@link ActionPlan}. SNS limits: the subject is at most 100 printable ASCII
 * characters without line breaks; the whole message at most 256 KB, so long lists are cut (with a count of what was
 * left out) until it fits.
 *
 * <p>The JSON is built from plain maps and lists and written by {@link JsonText} (streaming only): this runs on the
 * Lambda function's cold path, where the data-binding mapper alone would cost a few hundred milliseconds.
 */
public final class SnsAlertRenderer {

    static final int SUBJECT_LIMIT = 99;
    /** SNS's limit is 262,144 bytes for message, subject and attributes together; keep a margin for JSON escaping. */
    static final int SIZE_LIMIT = 256 * 1024 - 4 * 1024;
    private static final int[] LIST_LIMITS = {50, 10, 3};
    /** A finding's title in a one-line place (the headline, a Chatbot bullet). */
    private static final int TITLE_LIMIT = 300;
    /** What the guard could not judge (a report's notes): one line each, short enough for a phone. */
    static final int NOTE_LIMIT = 300;
    /** A value in Chatbot's additionalContext, and the items of a list it names before "(+N more)". */
    private static final int CONTEXT_LIMIT = 500;
    private static final int CONTEXT_LIST_LIMIT = 5;

    private final ProductionTags productionTags;
    private final BuildInfo build;

    /** {@code productionTags}: the function's patterns, which the alert's commands pass on. */
    public SnsAlertRenderer(ProductionTags productionTags) {
        this(productionTags, BuildInfo.current());
    }

    SnsAlertRenderer(ProductionTags productionTags, BuildInfo build) {
        this.productionTags = Objects.requireNonNull(productionTags, "productionTags");
        this.build = Objects.requireNonNull(build, "build");
    }

    public SnsAlert render(GuardReport report) {
        if (!report.hasFindings()) {
            throw new IllegalArgumentException("a report without findings raises no alert");
        }
        ActionPlan plan = ActionPlan.of(report, productionTags, build);
        SnsAlert alert = null;
        for (int limit : LIST_LIMITS) {
            alert = render(report, plan, limit);
            if (alert.sizeInBytes() <= SIZE_LIMIT) {
                return alert;
            }
        }
        return alert;
    }

    private SnsAlert render(GuardReport report, ActionPlan plan, int listLimit) {
        String text = plainText(report, plan, listLimit);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("default", text);
        message.put("email", text);
        message.put("https", JsonText.write(chatbotNotification(report, plan)));
        String machine = JsonText.write(machineReport(report, plan, listLimit));
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

    /** The one line a person reads first: the most severe finding, with its severity. */
    static String headline(GuardReport report) {
        Finding first = report.findings().get(0);
        return first.severity() + ": " + AlertText.oneLine(first.title(), TITLE_LIMIT);
    }

    static String plainText(GuardReport report, ActionPlan plan, int listLimit) {
        PushEvent event = report.event();
        StringBuilder text = new StringBuilder();
        text.append(headline(report)).append("\n\n");
        step(text, "Do now: ", plan.doNow());
        step(text, "Confirm: ", plan.confirm());
        if (!plan.otherSteps().isEmpty()) {
            text.append("Other options:\n");
            for (ActionPlan.Step step : plan.otherSteps()) {
                text.append("  - ").append(step.text()).append('\n');
                step.command().ifPresent(command -> text.append("      ").append(command).append('\n'));
            }
            text.append('\n');
        }
        plan.imageConsoleUrl().ifPresent(url -> text.append("Image:   ").append(url).append('\n'));
        text.append("Runbook: ").append(plan.runbookUrl()).append("\n\n");
        int count = report.findings().size();
        text.append("Why (").append(count).append(count == 1 ? " finding" : " findings, most severe first")
                .append("):\n");
        int number = 0;
        for (Finding finding : report.findings()) {
            // The explanation says what the title says, and more: the title would be the same sentence twice.
            text.append("\n").append(++number).append(". ").append(finding.severity()).append(' ')
                    .append(finding.kind()).append("\n   ")
                    .append(AlertText.oneLine(finding.explanation(), listLimit * 400)).append('\n');
        }
        if (!report.notes().isEmpty()) {
            text.append("\nNot checked:\n");
            for (String note : report.notes()) {
                text.append("  - ").append(AlertText.oneLine(note, NOTE_LIMIT)).append('\n');
            }
        }
        text.append("\n").append(event.occasion()).append(' ').append(event.repository()).append(':').append(event.tag()).append(" (")
                .append(event.digest()).append(") at ").append(event.time()).append("; account ")
                .append(AlertText.oneLine(event.account(), 64)).append(", region ")
                .append(AlertText.oneLine(event.region(), 64)).append(", event ")
                .append(AlertText.oneLine(event.eventId(), 128)).append(".\n");
        return text.toString();
    }

    /** A step as plain text: the words, then the command alone on an indented line, so it copies cleanly. */
    private static void step(StringBuilder text, String label, ActionPlan.Step step) {
        text.append(label).append(step.text()).append('\n');
        step.command().ifPresent(command -> text.append("    ").append(command).append('\n'));
        text.append('\n');
    }

    static Map<String, Object> chatbotNotification(GuardReport report, ActionPlan plan) {
        PushEvent event = report.event();
        Finding first = report.findings().get(0);
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("version", "1.0");
        notification.put("source", "custom");
        notification.put("id", ChatbotText.inert(AlertText.oneLine(event.eventId(), 128)));
        Map<String, Object> content = new LinkedHashMap<>();
        notification.put("content", content);
        content.put("textType", "client-markdown");
        content.put("title", (first.severity() == Finding.Severity.CRITICAL ? ":rotating_light: " : ":warning: ")
                + ChatbotText.inert(AlertText.oneLine(first.title(), TITLE_LIMIT)));
        StringBuilder description = new StringBuilder();
        description.append("*Do now:* ").append(ChatbotText.inert(plan.doNow().text()));
        plan.doNow().command().ifPresent(command -> description.append("\n```\n").append(command).append("\n```"));
        description.append("\n*Confirm:* `").append(plan.confirm().command().orElseThrow()).append('`');
        // The title already says the first finding; the others follow, one line each.
        List<Finding> others = report.findings().subList(1, report.findings().size());
        if (!others.isEmpty()) {
            description.append("\n*Also found:*");
        }
        for (Finding finding : others) {
            description.append("\n• *").append(finding.severity()).append("* ").append(finding.kind()).append(": ")
                    .append(ChatbotText.inert(AlertText.oneLine(finding.title(), TITLE_LIMIT)));
        }
        for (String note : report.notes()) {
            description.append("\n*Not checked:* ").append(ChatbotText.inert(AlertText.oneLine(note, NOTE_LIMIT)));
        }
        description.append("\n\n");
        plan.imageConsoleUrl().ifPresent(url -> description.append("Image: ").append(url).append('\n'));
        description.append("Runbook: ").append(plan.runbookUrl());
        content.put("description", description.toString());
        List<String> steps = new ArrayList<>();
        for (ActionPlan.Step step : plan.otherSteps()) {
            steps.add(ChatbotText.inert(step.text()) + step.command().map(c -> " `" + c + "`").orElse(""));
        }
        content.put("nextSteps", steps);
        List<String> keywords = new ArrayList<>();
        keywords.add(event.repository().value());
        report.findings().stream().map(f -> f.kind().name()).distinct().forEach(keywords::add);
        report.highestSeverity().ifPresent(severity -> keywords.add(severity.name()));
        content.put("keywords", keywords);
        Map<String, Object> metadata = new LinkedHashMap<>();
        notification.put("metadata", metadata);
        // One thread per repository and digest, so every release that lands on the same image groups together.
        metadata.put("threadId", event.repository() + "@" + event.digest().shortForm());
        metadata.put("summary", ChatbotText.inert(headline(report)));
        metadata.put("eventType", first.kind().name());
        metadata.put("relatedResources", List.of(event.repository() + "@" + event.digest()));
        metadata.put("additionalContext", additionalContext(report));
        return notification;
    }

    /**
     * The push's fields, then one entry per finding with that finding's own fields, so two findings never merge
     * into one set of fields (a second finding of a kind is "KIND 2").
     */
    static Map<String, Object> additionalContext(GuardReport report) {
        PushEvent event = report.event();
        Map<String, Object> context = new LinkedHashMap<>();
        if (!event.account().isEmpty()) {
            context.put("account", event.account());
        }
        AwsRegion.valid(event.region()).ifPresent(region -> context.put("region", region));
        context.put("repository", event.repository().value());
        context.put("tag", event.tag().value());
        context.put("imageDigest", event.digest().value());
        Map<Finding.Kind, Integer> seen = new EnumMap<>(Finding.Kind.class);
        for (Finding finding : report.findings()) {
            int n = seen.merge(finding.kind(), 1, Integer::sum);
            String key = finding.kind().name() + (n == 1 ? "" : " " + n);
            List<String> fields = new ArrayList<>();
            for (Map.Entry<String, Object> field : finding.details().entrySet()) {
                if (!OMITTED_IN_CONTEXT.contains(field.getKey()) && !repeatsThePush(field, event)) {
                    fields.add(field.getKey() + "=" + contextValue(field.getValue(), CONTEXT_LIST_LIMIT));
                }
            }
            context.put(key, ChatbotText.inert(AlertText.oneLine(String.join("; ", fields), CONTEXT_LIMIT)));
        }
        return context;
    }

    /** Fields the key or the push already says. */
    private static final Set<String> OMITTED_IN_CONTEXT = Set.of("kind", "repository");

    private static boolean repeatsThePush(Map.Entry<String, Object> field, PushEvent event) {
        return field.getKey().equals("tag") && event.tag().value().equals(field.getValue())
                || field.getKey().equals("imageDigest") && event.digest().value().equals(field.getValue());
    }

    static Map<String, Object> machineReport(GuardReport report, ActionPlan plan, int listLimit) {
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
        Map<String, Object> actions = new LinkedHashMap<>();
        actions.put("doNow", stepJson(plan.doNow()));
        actions.put("confirm", stepJson(plan.confirm()));
        actions.put("otherSteps", plan.otherSteps().stream().map(SnsAlertRenderer::stepJson).toList());
        plan.imageConsoleUrl().ifPresent(url -> actions.put("imageConsoleUrl", url));
        actions.put("runbookUrl", plan.runbookUrl());
        root.put("actions", actions);
        return root;
    }

    private static Map<String, Object> stepJson(ActionPlan.Step step) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("text", step.text());
        step.command().ifPresent(command -> json.put("command", command));
        return json;
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
