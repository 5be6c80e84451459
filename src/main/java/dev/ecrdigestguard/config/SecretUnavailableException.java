package dev.ecrdigestguard.config;

/** A secret could not be read; {@link #retryable()} says whether a later attempt can succeed. */
public class SecretUnavailableException extends RuntimeException {

    private final boolean retryable;

    public SecretUnavailableException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
