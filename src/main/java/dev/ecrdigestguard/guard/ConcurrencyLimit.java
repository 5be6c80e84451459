package dev.ecrdigestguard.guard;

/**
 * How many repositories {@link RepositoryScan} reads at a time: the setting, halved when a read fails in a way a retry
 * can fix (throttling the SDK's own retries could not absorb, server errors, timeouts — all signs that ECR wants
 * fewer calls), and grown back by one after each window of successful reads (additive increase, multiplicative
 * decrease, as TCP does). Used by the scan's coordinating thread only.
 *
 * <p>Reads started before a decrease were started under the old limit; their failures tell nothing new, so the limit
 * is halved at most once per window ({@link #window()} numbers the windows), not once per failed read of a burst.
 */
final class ConcurrencyLimit {

    private final int max;
    private int current;
    private int lowest;
    private int window;
    private int successes;

    ConcurrencyLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + max);
        }
        this.max = max;
        this.current = max;
        this.lowest = max;
    }

    int current() {
        return current;
    }

    int lowest() {
        return lowest;
    }

    /** The window a read starts in; hand it back to {@link #failedRetryably(int)}. */
    int window() {
        return window;
    }

    void succeeded() {
        if (current < max && ++successes >= current) {
            current++;
            successes = 0;
        }
    }

    void failedRetryably(int startedInWindow) {
        if (startedInWindow != window) {
            return;
        }
        current = Math.max(1, current / 2);
        lowest = Math.min(lowest, current);
        window++;
        successes = 0;
    }
}
