package dev.ecrdigestguard.registry;

import dev.ecrdigestguard.failure.ServiceFailure;

/**
 * A registry call failed: retryable for throttling, 5xx and timeouts; not for access denied, an immutable tag or a
 * manifest the registry refuses.
 */
public class RegistryException extends ServiceFailure {

    public RegistryException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }

    public RegistryException(String message, boolean retryable) {
        this(message, retryable, null);
    }
}
