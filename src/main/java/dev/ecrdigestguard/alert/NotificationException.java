package dev.ecrdigestguard.alert;

/** Sending an alert failed; {@link #retryable()} says whether a later attempt can succeed. */
public class NotificationException extends RuntimeException {

    private final boolean retryable;

    public NotificationException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
