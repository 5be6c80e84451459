package dev.ecrdigestguard.registry;

/**
 * The registry refused to move a tag because the tag is immutable there (ECR's {@code ImageTagAlreadyExistsException}).
 * Never retryable: the repository's settings, not a transient condition, forbid it.
 */
public class ImmutableTagException extends RegistryException {

    public ImmutableTagException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
