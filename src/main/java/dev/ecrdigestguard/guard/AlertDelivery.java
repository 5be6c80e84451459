package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Instant;

/** Sends a report to every channel and counts what happened; shared by every response that alerts. */
final class AlertDelivery {

    private AlertDelivery() {
    }

    /**
     * Sends {@code report}, counts each channel's result into {@code metrics}, and throws (so Lambda retries) only when
     * no channel got it; a partial delivery is logged and not retried, to avoid duplicates.
     */
    static AlertFanOut.Delivery deliver(AlertFanOut alerts, GuardReport report, GuardMetrics metrics,
                                        Instant deadline) {
        AlertFanOut.Delivery delivery = alerts.send(report, deadline);
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
        return delivery.requireAnyDelivered();
    }
}
