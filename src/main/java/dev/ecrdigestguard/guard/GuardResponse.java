package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.finding.GuardReport;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Guard#respond} did about one event: the Lambda handler writes {@link #outcome()}, the command line
 * prints the report and the alert.
 *
 * @param summary  one sentence: why an event was ignored or malformed, or what the guard concluded
 * @param report   the findings, for a production push that was inspected
 * @param delivery which channels got the alert, when one was sent
 */
public record GuardResponse(GuardOutcome outcome, String summary, Optional<GuardReport> report,
                            Optional<AlertFanOut.Delivery> delivery) {

    public GuardResponse {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(delivery, "delivery");
    }

    static GuardResponse without(GuardOutcome outcome, String summary) {
        return new GuardResponse(outcome, summary, Optional.empty(), Optional.empty());
    }
}
