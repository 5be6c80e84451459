package dev.ecrdigestguard.config;

import dev.ecrdigestguard.failure.ServiceFailure;

/** A secret (the Slack webhook URL) could not be read; the message names the ARN, never the value. */
public class SecretUnavailableException extends ServiceFailure {

    public SecretUnavailableException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
