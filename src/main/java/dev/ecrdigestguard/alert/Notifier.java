package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.guard.GuardReport;

/**
 * A channel that tells people about a report with findings (SNS, Slack). Each adapter renders the report in its
 * channel's format. Failures are {@link NotificationException}s, flagged retryable when trying later can help.
 */
public interface Notifier {

    /** A short name for logs and metrics, e.g. {@code sns}. */
    String channel();

    void send(GuardReport report);
}
