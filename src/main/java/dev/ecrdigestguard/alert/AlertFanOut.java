package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.log.Log;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public List<String> channels() {
        return notifiers.stream().map(Notifier::channel).toList();
    }

    /**
     * The result of one delivery: the channels that got the alert, and the failure of each channel that didn't, in
     * channel order.
     */
    public record Delivery(List<String> delivered, Map<String, RuntimeException> failures) {

        public Delivery {
            delivered = List.copyOf(delivered);
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }

        public List<String> failed() {
            return List.copyOf(failures.keySet());
        }

        /** Whether a channel failed in a way retrying can't fix (a revoked webhook, a denied permission). */
        public boolean rejected(String channel) {
            return failures.containsKey(channel) && !ServiceFailure.retryable(failures.get(channel));
        }

        /** Throws when no channel got the alert; retryable when any channel's failure was. */
        public Delivery requireAnyDelivered() {
            if (!delivered.isEmpty()) {
                return this;
            }
            List<RuntimeException> all = new ArrayList<>(failures.values());
            boolean retryable = all.stream().anyMatch(ServiceFailure::retryable);
            NotificationException none = new NotificationException("no channel got the alert ("
                    + String.join(", ", failures.keySet()) + "): " + all.get(0).getMessage(), retryable, all.get(0));
            all.stream().skip(1).forEach(none::addSuppressed);
            throw none;
        }
    }

    /** Sends to every channel without a deadline of its own and fails when no channel got the alert. */
    public Delivery deliver(GuardReport report) {
        return send(report, Instant.MAX).requireAnyDelivered();
    }

    /** Sends to every channel, each giving up by {@code deadline}; never throws: the caller reads the outcome. */
    public Delivery send(GuardReport report, Instant deadline) {
        List<String> delivered = new ArrayList<>();
        Map<String, RuntimeException> failures = new LinkedHashMap<>();
        for (Notifier notifier : notifiers) {
            try {
                notifier.send(report, deadline);
                delivered.add(notifier.channel());
                Log.info("alert sent", "channel", notifier.channel());
            } catch (RuntimeException e) {
                failures.put(notifier.channel(), e);
                Log.error("alert not sent", e, "channel", notifier.channel(), "retryable", ServiceFailure.retryable(e));
            }
        }
        return new Delivery(delivered, failures);
    }
}
