package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.RepositoryName;
import java.util.Objects;

/**
 * A repository a scan could not read or judge, and why.
 *
 * @param reason    the last failure's message: the action, the target and the service's answer
 * @param retryable whether a later run may succeed (throttling, a server error, a timeout), as
 *                  {@link dev.ecrdigestguard.failure.ServiceFailure#retryable()} says
 * @param attempts  how many times the scan tried the repository
 */
public record RepositoryFailure(RepositoryName repository, String reason, boolean retryable, int attempts) {

    public RepositoryFailure {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(reason, "reason");
    }
}
