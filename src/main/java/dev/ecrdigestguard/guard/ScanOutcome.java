package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.RepositoryName;
import java.util.Objects;

/**
 * What {@link RepositoryScan} hands its consumer for one repository, as soon as that repository is done: the result
 * of the per-repository work, or why the repository could not be read (after the retries a failure allows).
 */
public sealed interface ScanOutcome<R> {

    RepositoryName repository();

    record Read<R>(RepositoryName repository, R result) implements ScanOutcome<R> {
        public Read {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(result, "result");
        }
    }

    record Failed<R>(RepositoryFailure failure) implements ScanOutcome<R> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public RepositoryName repository() {
            return failure.repository();
        }
    }
}
