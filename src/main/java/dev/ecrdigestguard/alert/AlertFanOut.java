package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.guard.GuardReport;
import dev.ecrdigestguard.log.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a report to every configured channel. Channels are independent: one failing doesn't stop the others. The
 * delivery fails (so Lambda retries the event and, in the end, keeps it in the on-failure destination) only when no
 * channel got the alert — retrying after a partial success would send duplicates to the channels that worked.
 */
public final class AlertFanOut {

    private final List<Notifier> notifiers;

    public AlertFanOut(List<Notifier> notifiers) {
        if (notifiers.isEmpty()) {
            throw new IllegalArgumentException("at least one alert channel is required");
        }
        this.notifiers = List.copyOf(notifiers);
    }

    /** The result of one delivery: the channels that got the alert and those that failed. */
    public record Delivery(List<String> delivered, List<String> failed) { }

    public Delivery deliver(GuardReport report) {
        List<String> delivered = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        for (Notifier notifier : notifiers) {
            try {
                notifier.send(report);
                delivered.add(notifier.channel());
                Log.info("alert sent", "channel", notifier.channel());
            } catch (RuntimeException e) {
                failed.add(notifier.channel());
                failures.add(e);
                Log.error("alert not sent: " + e.getMessage(), e, "channel", notifier.channel());
            }
        }
        if (delivered.isEmpty()) {
            boolean retryable = failures.stream().anyMatch(AlertFanOut::retryable);
            NotificationException none = new NotificationException("no channel got the alert ("
                    + String.join(", ", failed) + "): " + failures.get(0).getMessage(), retryable, failures.get(0));
            failures.stream().skip(1).forEach(none::addSuppressed);
            throw none;
        }
        return new Delivery(delivered, failed);
    }

    private static boolean retryable(RuntimeException e) {
        return !(e instanceof NotificationException notification) || notification.retryable();
    }
}
