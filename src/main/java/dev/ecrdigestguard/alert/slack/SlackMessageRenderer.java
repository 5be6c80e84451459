package dev.ecrdigestguard.alert.slack;

import dev.ecrdigestguard.alert.ActionPlan;
import dev.ecrdigestguard.alert.AlertText;
import dev.ecrdigestguard.config.BuildInfo;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ProductionTags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a report as a Block Kit message short enough for a phone, in the order a person acts: a header (the most
 * severe finding), "Do now" with its command and the command that confirms the fix (in code format), the findings one
 * line each, the other steps each once, and a context line with links to the image in the ECR console and to the
 * runbook. A plain-text fallback (headline and the command) is what notifications show. The explanations are left to
 * the e-mail and the runbook. Pure: a report in, a message out; the same {@link ActionPlan} as every channel.
 *
 * <p>Slack rejects a message that breaks a limit rather than cutting it, so every value is cleaned
 * ({@link AlertText}), escaped and then cut to the limit of its place: header 150 characters, section text 3000.
 * The message has at most six blocks whatever the number of findings.
 */
public final class SlackMessageRenderer {

    static final int HEADER_LIMIT = 150;
    static final int SECTION_LIMIT = 3000;
    /** Slack truncates longer top-level text; the fallback is a summary, so keep it to a section's size. */
    static final int TEXT_LIMIT = 3000;
    private static final int TITLE_LIMIT = 300;

    private final ProductionTags productionTags;
    private final BuildInfo build;

    /** {@code productionTags}: the function's patterns, which the message's commands pass on. */
    public SlackMessageRenderer(ProductionTags productionTags) {
        this(productionTags, BuildInfo.current());
    }

    SlackMessageRenderer(ProductionTags productionTags, BuildInfo build) {
        this.productionTags = Objects.requireNonNull(productionTags, "productionTags");
        this.build = Objects.requireNonNull(build, "build");
    }

    public SlackMessage render(GuardReport report) {
        if (!report.hasFindings()) {
            throw new IllegalArgumentException("a report without findings raises no alert");
        }
        ActionPlan plan = ActionPlan.of(report, productionTags, build);
        PushEvent event = report.event();
        Finding first = report.findings().get(0);
        List<Map<String, Object>> blocks = new ArrayList<>();

        Map<String, Object> headerText = block("plain_text");
        headerText.put("emoji", true);
        headerText.put("text", SlackText.fit(icon(first) + AlertText.oneLine(first.title(), TITLE_LIMIT),
                HEADER_LIMIT));
        Map<String, Object> header = block("header");
        header.put("text", headerText);
        blocks.add(header);

        StringBuilder act = new StringBuilder("*Do now:* ").append(SlackText.escape(plan.doNow().text()));
        plan.doNow().command().ifPresent(command -> act.append("\n").append(code(command)));
        act.append("\n*Confirm:* ").append(SlackText.escape(plan.confirm().text())).append('\n')
                .append(code(plan.confirm().command().orElseThrow()));
        section(blocks, act.toString());

        // The header already says the first finding; the others follow, one line each.
        List<String> others = new ArrayList<>();
        for (Finding finding : report.findings().subList(1, report.findings().size())) {
            others.add("• *" + finding.severity() + "* " + finding.kind() + ": "
                    + SlackText.escape(AlertText.oneLine(finding.title(), TITLE_LIMIT)));
        }
        // What the guard could not judge goes with the other findings: a person must know the check is incomplete.
        for (String note : report.notes()) {
            others.add("• *Not checked:* " + SlackText.escape(AlertText.oneLine(note, 300)));
        }
        if (!others.isEmpty()) {
            section(blocks, bullets("*Also found*", others, "finding"));
        }

        if (!plan.otherSteps().isEmpty()) {
            List<String> steps = new ArrayList<>();
            for (ActionPlan.Step step : plan.otherSteps()) {
                steps.add("• " + SlackText.escape(step.text()) + step.command().map(c -> " " + inlineCode(c)).orElse(""));
            }
            section(blocks, bullets("*Other options*", steps, "option"));
        }

        List<String> context = new ArrayList<>();
        plan.imageConsoleUrl().ifPresent(url -> context.add(link(url, "Image in the ECR console")));
        context.add(link(plan.runbookUrl(), "Runbook"));
        context.add(first.severity() + " " + first.kind());
        context.add(inlineCode(event.repository() + ":" + event.tag()));
        context.add(inlineCode(event.digest().shortForm()));
        context.add("account " + SlackText.escape(AlertText.oneLine(event.account(), 64)));
        context.add(SlackText.escape(AlertText.oneLine(event.region(), 64)));
        context.add("event " + SlackText.escape(AlertText.oneLine(event.eventId(), 128)));
        Map<String, Object> contextBlock = block("context");
        contextBlock.put("elements", List.of(mrkdwn(fitSection(String.join(" · ", context)))));
        blocks.add(contextBlock);

        return new SlackMessage(SlackText.fit(fallback(report, plan), TEXT_LIMIT), blocks);
    }

    private static String icon(Finding finding) {
        return finding.severity() == Finding.Severity.CRITICAL ? ":rotating_light: " : ":warning: ";
    }

    private static String code(String command) {
        return "```" + SlackText.escape(command) + "```";
    }

    private static String inlineCode(String text) {
        return "`" + SlackText.escape(text) + "`";
    }

    /** A Slack link; the URL is built from validated parts, the label is ours. */
    private static String link(String url, String label) {
        return "<" + SlackText.escape(url) + "|" + label + ">";
    }

    /** A heading and one line per item, as many as fit in a section, then how many were left out. */
    private static String bullets(String heading, List<String> lines, String noun) {
        StringBuilder text = new StringBuilder(heading);
        for (int i = 0; i < lines.size(); i++) {
            String more = "\n…and " + (lines.size() - i) + " more " + noun + (lines.size() - i == 1 ? "" : "s")
                    + " in the e-mail alert and the function's logs";
            boolean last = i == lines.size() - 1;
            if (text.length() + 1 + lines.get(i).length() + (last ? 0 : more.length()) > SECTION_LIMIT) {
                return text.append(more).toString();
            }
            text.append('\n').append(lines.get(i));
        }
        return text.toString();
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
        Map<String, Object> section = block("section");
        section.put("text", mrkdwn(fitSection(mrkdwn)));
        blocks.add(section);
    }

    private static String fitSection(String mrkdwn) {
        return mrkdwn.length() <= SECTION_LIMIT ? mrkdwn
                : mrkdwn.substring(0, safeCut(mrkdwn, SECTION_LIMIT - 1)) + "…";
    }

    /** A cut position that doesn't split an entity such as {@code &amp;} that is already in the text. */
    private static int safeCut(String escaped, int at) {
        int amp = escaped.lastIndexOf('&', at - 1);
        if (amp >= 0 && escaped.indexOf(';', amp) >= at) {
            return amp;
        }
        return at;
    }

    /** What a notification shows: the headline and the command to run. */
    static String fallback(GuardReport report, ActionPlan plan) {
        Finding first = report.findings().get(0);
        return first.severity() + ": " + AlertText.oneLine(first.title(), TITLE_LIMIT) + " Do now: "
                + plan.doNow().command().orElse(plan.doNow().text());
    }
}
