package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the guard does about one production push: inspect it, re-tag in MODE=RETAG, then alert unless the repository
 * is silenced, counting each step into the invocation's metrics.
 *
 * <p>Failures a retry can fix propagate after being logged, so Lambda retries the event; so does an alert that no
 * channel got (see {@link AlertFanOut}).
 */
final class ProductionPushResponse {

    /** What SNS and a Slack webhook with its retries need at most, kept back from reading the repository. */
    static final Duration ALERT_RESERVE = Duration.ofSeconds(10);

    private final GuardPorts ports;
    private final PushGuard inspection;
    private final Optional<RetagStep> retag;
    private final RepositoryPatterns silencedRepositories;

    ProductionPushResponse(GuardPorts ports, ProductionTags productionTags, RepositoryPatterns silencedRepositories) {
        this.ports = ports;
        this.inspection = new PushGuard(productionTags, ports.catalog(), ports.ledger());
        this.retag = ports.retagger().map(RetagStep::new);
        this.silencedRepositories = silencedRepositories;
    }

    /**
     * {@code deadline}: when the whole response must be done, so the invocation can still log and reply. Reading the
     * repository stops early enough to leave the alert channels their time: what is known by then is sent.
     */
    GuardResponse respond(PushEvent event, GuardMetrics metrics, Instant deadline) {
        Instant inspectionDeadline = deadline.minus(alertReserve(Instant.now(), deadline));
        GuardReport report = failingForRetry("could not check the push",
                () -> inspection.inspect(event, inspectionDeadline));
        // A silenced repository shares digests on purpose: its findings are logged and counted, never acted on.
        boolean silenced = silencedRepositories.matches(event.repository().value());
        boolean retagging = retag.isPresent() && report.hasFindings() && !silenced;
        if (retagging) {
            GuardReport inspected = report;
            // Only failures a retry can fix get here; the tag has not moved, and the retry finishes the job.
            report = failingForRetry("could not re-tag", () -> retag.get().apply(inspected));
        }
        Log.info(report.summary(), "findings", report.findings().size());
        if (!report.hasFindings()) {
            return respond(retagging ? GuardOutcome.RETAG_NOT_NEEDED : GuardOutcome.CLEAN, report, Optional.empty());
        }
        for (Finding finding : report.findings()) {
            Log.warn(finding.title(), "findingKind", finding.kind().name(), "severity", finding.severity().name());
            count(finding.kind(), metrics);
        }
        if (silenced) {
            metrics.silenced();
            Log.info("repository is silenced; no re-tag, no alert", "silencedRepositories", silencedRepositories);
            return respond(GuardOutcome.SILENCED, report, Optional.empty());
        }
        AlertFanOut.Delivery delivery = AlertDelivery.deliver(ports.alerts(), report, metrics, deadline);
        rememberAtRisk(event, report);
        return respond(delivery.failed().isEmpty() ? alerted(report) : GuardOutcome.ALERTED_PARTIALLY, report,
                Optional.of(delivery));
    }

    /**
     * Remembers the releases this alert named as expiring out of turn, so the sweep reminds a day later rather than
     * repeating the alert, and a deletion of one of them is a post-mortem. The alert is out already: a failure here is
     * logged, not retried (a retry would send the alert again).
     */
    private void rememberAtRisk(PushEvent event, GuardReport report) {
        RepositoryLocation location = new RepositoryLocation(event.account(), event.region(), event.repository());
        try {
            for (Finding finding : report.findings()) {
                if (finding instanceof LifecycleExpiryFinding expiry) {
                    ports.risks().remember(location, RiskRecord.of(expiry, event.time()));
                }
            }
        } catch (ServiceFailure e) {
            Log.warn("could not remember the releases alerted at risk; the next sweep alerts them again: "
                    + e.getMessage());
        }
    }

    /** The time kept for alerting: {@link #ALERT_RESERVE}, or half of what is left when that is less. */
    static Duration alertReserve(Instant now, Instant deadline) {
        Duration half = Duration.between(now, deadline).dividedBy(2);
        return half.compareTo(ALERT_RESERVE) < 0 ? (half.isNegative() ? Duration.ZERO : half) : ALERT_RESERVE;
    }

    private static GuardResponse respond(GuardOutcome outcome, GuardReport report,
                                         Optional<AlertFanOut.Delivery> delivery) {
        return new GuardResponse(outcome, report.summary(), Optional.of(report), delivery);
    }

    /** Re-tags are counted from the findings that report them, so a re-tag is counted once, with its finding. */
    private static void count(Finding.Kind kind, GuardMetrics metrics) {
        metrics.finding(kind);
        if (kind == Finding.Kind.RETAGGED) {
            metrics.retagged();
        } else if (kind == Finding.Kind.RETAG_REFUSED) {
            metrics.retagRefused();
        }
    }

    /** ALERTED, or in MODE=RETAG what happened to the tag, so logs and tests can tell the cases apart. */
    private static GuardOutcome alerted(GuardReport report) {
        List<Finding.Kind> kinds = report.findings().stream().map(Finding::kind).toList();
        if (kinds.contains(Finding.Kind.RETAG_REFUSED)) {
            return GuardOutcome.RETAG_REFUSED;
        }
        if (kinds.contains(Finding.Kind.RETAGGED)) {
            return GuardOutcome.RETAGGED;
        }
        return GuardOutcome.ALERTED;
    }

    /** Logged here rather than left to the runtime, so the failure's line carries the push's log context. */
    private static <T> T failingForRetry(String what, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            Log.error(what + "; failing the invocation so Lambda retries it: " + e.getMessage(), e);
            throw e;
        }
    }
}
