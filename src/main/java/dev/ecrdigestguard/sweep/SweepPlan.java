package dev.ecrdigestguard.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How one sweep invocation spends its time, fixed when it starts: the backfill may use half of it; repositories are
 * started until 60% of it, so those in progress can finish; reading stops at {@link #readUntil} whatever happens,
 * and what was cut short is carried to the next invocation; the rest is kept for the alerts, the checkpoint and the
 * hand-over (at least a quarter of the time, at most 8 seconds).
 *
 * <p>Why fractions rather than a forecast of each repository's pages: the number of images of a repository is known
 * only once it has been read ({@code DescribeRepositories} doesn't say), so the plan keeps a margin as wide as the
 * reads it lets run, and a repository that needs more than a whole invocation is reported rather than retried forever.
 */
record SweepPlan(Instant start, Instant backfillUntil, Instant startUntil, Instant readUntil, Instant deadline) {

    static final Duration MOST_KEPT_FOR_THE_END = Duration.ofSeconds(8);

    SweepPlan {
        Objects.requireNonNull(start);
        Objects.requireNonNull(backfillUntil);
        Objects.requireNonNull(startUntil);
        Objects.requireNonNull(readUntil);
        Objects.requireNonNull(deadline);
    }

    static SweepPlan of(Instant now, Instant deadline) {
        Duration left = Duration.between(now, deadline);
        if (left.isNegative()) {
            left = Duration.ZERO;
        }
        Duration kept = left.dividedBy(4).compareTo(MOST_KEPT_FOR_THE_END) < 0 ? left.dividedBy(4)
                : MOST_KEPT_FOR_THE_END;
        Duration work = left.minus(kept);
        return new SweepPlan(now, now.plus(work.dividedBy(2)), now.plus(work.multipliedBy(3).dividedBy(5)),
                now.plus(work), now.plus(left));
    }
}
