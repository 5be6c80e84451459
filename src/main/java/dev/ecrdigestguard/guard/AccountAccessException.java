package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.image.AccountRegion;
import java.util.Objects;

/**
 * The guard could not get credentials for a member account's registry: assuming the member role was refused
 * (not retryable: the setup needs a person) or STS failed in a way a retry can fix (throttling, a timeout).
 */
public class AccountAccessException extends ServiceFailure {

    private final AccountRegion registry;
    private final String roleArn;

    public AccountAccessException(AccountRegion registry, String roleArn, String message, boolean retryable,
                                  Throwable cause) {
        super(message, retryable, cause);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
    }

    public AccountRegion registry() {
        return registry;
    }

    /** The role that was to be assumed. */
    public String roleArn() {
        return roleArn;
    }
}
