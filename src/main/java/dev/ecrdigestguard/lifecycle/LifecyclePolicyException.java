package dev.ecrdigestguard.lifecycle;

/**
 * A lifecycle policy that ECR would refuse (or that is not even JSON). The message names the rule (by its
 * {@code rulePriority}, or its position when the priority itself is the problem), the field and the value, so a
 * person can fix the policy without reading code.
 */
public class LifecyclePolicyException extends RuntimeException {

    public LifecyclePolicyException(String message) {
        super(message);
    }

    public LifecyclePolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
