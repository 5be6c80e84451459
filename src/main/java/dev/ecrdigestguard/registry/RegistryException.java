package dev.ecrdigestguard.registry;

/**
 * A registry call failed. {@link #retryable()} tells the caller whether trying again later can help
 * (throttling, 5xx, timeouts) or not (access denied, immutable tag, malformed manifest).
 */
public class RegistryException extends RuntimeException {

    private final boolean retryable;

    public RegistryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public RegistryException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
