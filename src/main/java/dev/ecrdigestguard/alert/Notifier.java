package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.finding.GuardReport;
import java.time.Instant;

/**
 * A channel that tells people about a report with findings (SNS, Slack). Each adapter renders the report in its
 * channel's format. Failures are {@link NotificationException}s, flagged retryable when trying later can help.
 */
public interface Notifier {

    /** A short name for logs and metrics, e.g. {@code sns}. */
    String channel();

    void send(GuardReport report);

    /**
     * Sends, giving up (with a retryable failure) rather than working past {@code deadline}: the Lambda handler
     * passes the end of the invocation less a margin. Channels that retry on their own override this; the default
     * relies on the client's own timeouts.
     */
    default void send(GuardReport report, Instant deadline) {
        send(report);
    }
}
