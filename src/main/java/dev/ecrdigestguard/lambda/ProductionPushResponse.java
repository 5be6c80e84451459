package dev.ecrdigestguard.lambda;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.detect.Finding;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.guard.GuardReport;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the function does about one production push: inspect it, re-tag in MODE=RETAG, then alert unless the
 * repository is silenced, counting each step into the invocation's metrics. It lives beside the handler rather than
 * in {@code guard} because it counts metrics and fans out alerts, and {@code alert} already depends on {@code guard}.
 *
 * <p>Failures a retry can fix propagate after being logged, so Lambda retries the event; so does an alert that no
 * channel got (see {@link AlertFanOut}).
 */
final class ProductionPushResponse {

    private final PushGuardHandler.Wiring ports;
    private final RepositoryPatterns silencedRepositories;

    ProductionPushResponse(PushGuardHandler.Wiring ports, RepositoryPatterns silencedRepositories) {
        this.ports = ports;
        this.silencedRepositories = silencedRepositories;
    }

    /** {@code deadline}: when alert channels give up, so the invocation can still log and reply. */
    InvocationOutcome respond(PushEvent event, GuardMetrics metrics, Instant deadline) {
        GuardReport report = failingForRetry("could not check the push", () -> ports.guard().inspect(event));
        // A silenced repository shares digests on purpose: its findings are logged and counted, never acted on.
        boolean silenced = silencedRepositories.matches(event.repository().value());
        boolean retagging = ports.retag().isPresent() && report.hasFindings() && !silenced;
        if (retagging) {
            GuardReport inspected = report;
            // Only failures a retry can fix get here; the tag has not moved, and the retry finishes the job.
            report = failingForRetry("could not re-tag", () -> ports.retag().get().apply(inspected));
        }
        Log.info(report.summary(), "findings", report.findings().size());
        if (!report.hasFindings()) {
            return retagging ? InvocationOutcome.RETAG_NOT_NEEDED : InvocationOutcome.CLEAN;
        }
        for (Finding finding : report.findings()) {
            Log.warn(finding.title(), "findingKind", finding.kind().name(), "severity", finding.severity().name());
            count(finding.kind(), metrics);
        }
        if (silenced) {
            metrics.silenced();
            Log.info("repository is silenced; no re-tag, no alert", "silencedRepositories", silencedRepositories);
            return InvocationOutcome.SILENCED;
        }
        return alert(report, metrics, deadline);
    }

    private InvocationOutcome alert(GuardReport report, GuardMetrics metrics, Instant deadline) {
        AlertFanOut.Delivery delivery = ports.alerts().send(report, deadline);
        delivery.delivered().forEach(metrics::alertSent);
        delivery.failed().forEach(channel -> metrics.alertFailed(channel, delivery.rejected(channel)));
        if (delivery.delivered().isEmpty()) {
            metrics.alertUndelivered();
            Log.error("no channel got the alert; failing the invocation so Lambda retries it", null,
                    "failedChannels", String.join(",", delivery.failed()));
        } else if (!delivery.failed().isEmpty()) {
            Log.warn("alert delivered on some channels only; not retried, to avoid duplicates",
                    "deliveredChannels", String.join(",", delivery.delivered()),
                    "failedChannels", String.join(",", delivery.failed()));
        }
        delivery.requireAnyDelivered();
        return delivery.failed().isEmpty() ? alerted(report) : InvocationOutcome.ALERTED_PARTIALLY;
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
    private static InvocationOutcome alerted(GuardReport report) {
        List<Finding.Kind> kinds = report.findings().stream().map(Finding::kind).toList();
        if (kinds.contains(Finding.Kind.RETAG_REFUSED)) {
            return InvocationOutcome.RETAG_REFUSED;
        }
        if (kinds.contains(Finding.Kind.RETAGGED)) {
            return InvocationOutcome.RETAGGED;
        }
        return InvocationOutcome.ALERTED;
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
