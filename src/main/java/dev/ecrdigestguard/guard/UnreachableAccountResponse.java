package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.AccountUnreachableFinding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A production push from an account the guard can't read. A refusal a retry can't fix becomes an alert about the
 * guard's own setup ({@link AccountUnreachableFinding}) on the usual channels — a failed invocation would end in the
 * on-failure queue, where nobody learns that a whole account goes unguarded. A failure a retry can fix (STS
 * throttling, a timeout) fails the invocation, so Lambda retries it like any other.
 */
final class UnreachableAccountResponse {

    private final AlertFanOut alerts;
    private final ProductionTags productionTags;

    UnreachableAccountResponse(AlertFanOut alerts, ProductionTags productionTags) {
        this.alerts = alerts;
        this.productionTags = productionTags;
    }

    GuardResponse respond(PushEvent event, AccountAccessException refused, GuardMetrics metrics, Instant deadline) {
        if (refused.retryable()) {
            Log.error("could not get credentials for the push's account; failing the invocation so Lambda retries "
                    + "it: " + refused.getMessage(), refused);
            throw refused;
        }
        AccountUnreachableFinding finding = new AccountUnreachableFinding(event.repository(), event.tag(),
                event.digest(), refused.registry(), refused.roleArn(), refused.getMessage(), productionTags);
        Log.error(finding.title(), refused, "findingKind", finding.kind().name(), "roleArn", refused.roleArn());
        metrics.finding(finding.kind());
        GuardReport report = new GuardReport(event, List.of(finding), "account " + refused.registry().account()
                + " can't be read (" + refused.roleArn() + " refused); the push was not checked");
        AlertFanOut.Delivery delivery = AlertDelivery.deliver(alerts, report, metrics, deadline);
        return new GuardResponse(GuardOutcome.ACCOUNT_UNREACHABLE, report.summary(), Optional.of(report),
                Optional.of(delivery));
    }
}
