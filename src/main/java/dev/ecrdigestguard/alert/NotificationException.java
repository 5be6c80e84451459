package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.failure.ServiceFailure;

/** Sending an alert through a channel failed. */
public class NotificationException extends ServiceFailure {

    public NotificationException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
