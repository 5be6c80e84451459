package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.RepositoryName;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link RepositoryScan} went, and everything it skipped.
 *
 * @param listed            distinct repositories the lister handed out
 * @param read              repositories read and judged (each one handed to the consumer)
 * @param failed            repositories that could not be read or judged, in the order they were given up
 * @param notReached        repositories never started because the deadline passed (or the scan was interrupted),
 *                          in listing order: the rest of the list, for the next run to start from
 * @param listingFailure    why the lister stopped early, when it did: only the repositories listed before it were
 *                          scanned
 * @param retries           attempts repeated after a retryable failure
 * @param lowestConcurrency the fewest repositories the scan allowed at a time; below the setting when a retryable
 *                          failure (throttling the SDK could not absorb) made it slow down
 */
public record ScanSummary(int listed, int read, List<RepositoryFailure> failed, List<RepositoryName> notReached,
        Optional<String> listingFailure, int retries, int lowestConcurrency) {

    public ScanSummary {
        failed = List.copyOf(failed);
        notReached = List.copyOf(notReached);
    }

    /** Whether every repository of the registry was read: the listing finished and none was failed or left out. */
    public boolean complete() {
        return listingFailure.isEmpty() && failed.isEmpty() && notReached.isEmpty();
    }
}
