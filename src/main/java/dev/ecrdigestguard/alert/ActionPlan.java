package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.config.AwsRegion;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.config.BuildInfo;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.NextStep;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an alert asks of the person who reads it, in the order they act: one step to do now (with its command), the
 * command that confirms the fix, every other step once, and where to look — the image in the ECR console and the
 * runbook. Every channel renders the same plan, so the e-mail, Chatbot and Slack never disagree on what to do.
 *
 * @param doNow           the first step of the most severe finding
 * @param confirm         runs the guard on the pushed tag again: exit status 0 once nothing is left to fix
 * @param otherSteps      the findings' other steps, each once, most severe finding's first
 * @param imageConsoleUrl the pushed image in the ECR console, when the event names a valid account and region
 * @param runbookUrl      what each finding asks of you, for this version of the guard
 */
public record ActionPlan(Step doNow, Step confirm, List<Step> otherSteps, Optional<String> imageConsoleUrl,
                         String runbookUrl) {

    /** A step as an alert shows it: what to do in words, and the command that does it when there is one. */
    public record Step(String text, Optional<String> command) {
        public Step {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(command, "command");
        }
    }

    /** A step names a rule's description at most; anything longer is not a step but an attack on the layout. */
    private static final int STEP_LIMIT = 600;

    public ActionPlan {
        Objects.requireNonNull(doNow, "doNow");
        Objects.requireNonNull(confirm, "confirm");
        otherSteps = List.copyOf(otherSteps);
        Objects.requireNonNull(imageConsoleUrl, "imageConsoleUrl");
        Objects.requireNonNull(runbookUrl, "runbookUrl");
    }

    /** The plan for a report with findings, with commands for the function's production tag patterns. */
    public static ActionPlan of(GuardReport report, ProductionTags productionTags, BuildInfo build) {
        if (!report.hasFindings()) {
            throw new IllegalArgumentException("a report without findings asks nothing of anyone");
        }
        PushEvent event = report.event();
        CommandLines commands = new CommandLines(productionTags, event.region());
        // The guard already tried to re-tag these and was refused; the same command would be refused again.
        Set<Tag> refused = report.findings().stream()
                .filter(finding -> finding.kind() == Finding.Kind.RETAG_REFUSED)
                .map(Finding::tag)
                .collect(Collectors.toSet());
        List<NextStep> suggested = new ArrayList<>();
        report.findings().forEach(finding -> suggested.addAll(finding.nextSteps()));
        List<Step> steps = NextStep.distinct(suggested).stream()
                .filter(step -> !(step instanceof NextStep.Retag retag && refused.contains(retag.tag())))
                .map(step -> step(step, commands))
                .toList();
        Step confirm = new Step("Run the guard on " + event.tag() + " again; exit status 0 means nothing is left to"
                + " fix.", Optional.of(commands.check(event.repository(), event.tag())));
        return new ActionPlan(steps.get(0), confirm, steps.subList(1, steps.size()), consoleUrl(event),
                build.runbookUrl());
    }

    private static Step step(NextStep step, CommandLines commands) {
        Optional<String> command = step instanceof NextStep.Retag retag
                ? Optional.of(commands.retag(retag.repository(), retag.tag()))
                : step instanceof NextStep.RestoreFromArchive restore
                        ? Optional.of(commands.restoreFromArchive(restore.repository(), restore.imageDigest()))
                        : Optional.empty();
        return new Step(AlertText.oneLine(step.text(), STEP_LIMIT), command);
    }

    /**
     * The image's page in the ECR console of the event's partition. Built from validated parts only: an event with
     * a malformed account or region gets no link rather than a link somewhere else.
     */
    static Optional<String> consoleUrl(PushEvent event) {
        Optional<String> region = AwsRegion.valid(event.region());
        if (region.isEmpty() || !AccountRegion.isAccount(event.account())) {
            return Optional.empty();
        }
        String r = region.get();
        String host = r.startsWith("cn-") ? "console.amazonaws.cn"
                : r.startsWith("us-gov-") ? "console.amazonaws-us-gov.com"
                : r + ".console.aws.amazon.com";
        return Optional.of("https://" + host + "/ecr/repositories/private/" + event.account() + "/"
                + event.repository() + "/_/image/" + event.digest() + "/details?region=" + r);
    }
}
