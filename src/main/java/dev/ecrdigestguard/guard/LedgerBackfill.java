package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fills the release ledger with the production releases a registry's history recorded before the guard did (the
 * {@code backfill} command, and the sweep's first run in each registry): every {@code PutImage} of a production tag in
 * the window, recorded as a push at the time it happened. The ledger's own rules sort out the order (CloudTrail reads
 * newest first) and repeats (a push recorded twice, or already recorded by the function).
 *
 * <p>The history is read at a pace it allows — CloudTrail's {@code LookupEvents} takes two calls a second per account
 * and region — and until a deadline, leaving where it got to in the {@link Progress}, so a long history takes several
 * invocations rather than one that times out.
 */
public final class LedgerBackfill {

    /** CloudTrail keeps 90 days of management events for lookup. */
    public static final Duration WINDOW = Duration.ofDays(90);
    /** LookupEvents allows two requests a second per account and region: one every 500 ms, with a margin. */
    static final Duration PACE = Duration.ofMillis(550);

    private final PushHistory history;
    private final ReleaseLedger ledger;
    private final ProductionTags productionTags;
    private final Predicate<RepositoryLocation> repositories;
    private final Clock clock;

    public LedgerBackfill(PushHistory history, ReleaseLedger ledger, ProductionTags productionTags,
                          Predicate<RepositoryLocation> repositories, Clock clock) {
        this.history = Objects.requireNonNull(history, "history");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.productionTags = Objects.requireNonNull(productionTags, "productionTags");
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * How far a backfill got: the window it reads, the page to read next, and what it found so far.
     *
     * @param next     the page to read next; empty with {@code done} when the window is read
     * @param read     pushes read, production or not
     * @param recorded production releases handed to the ledger
     * @param unreadable records the history could not read as a push
     */
    public record Progress(Instant from, Instant to, Optional<String> next, boolean done, long read, long recorded,
                           long unreadable) {
        public Progress {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(next, "next");
        }

        /** A backfill not yet started, of the {@link #WINDOW} before {@code now}. */
        public static Progress start(Instant now, Duration window) {
            return new Progress(now.minus(window), now, Optional.empty(), false, 0, 0, 0);
        }
    }

    /** Reads pages until the window is done or the next page could not be read before {@code deadline}. */
    public Progress run(Progress progress, Instant deadline) {
        Progress current = progress;
        Instant lastCall = Instant.MIN;
        while (!current.done()) {
            Instant now = clock.instant();
            Instant due = lastCall.equals(Instant.MIN) ? now : lastCall.plus(PACE);
            if (due.isAfter(deadline)) {
                break;
            }
            pause(Duration.between(now, due));
            lastCall = clock.instant();
            PushHistory.Page page = history.pushes(current.from(), current.to(), current.next());
            List<PushHistory.RecordedPush> releases = page.pushes().stream()
                    .filter(push -> productionTags.isProduction(push.tag()) && repositories.test(push.repository()))
                    .toList();
            // One call per page: the file ledger writes once for the page, not once per release in it.
            ledger.recordPushes(releases);
            current = new Progress(current.from(), current.to(), page.next(), page.next().isEmpty(),
                    current.read() + page.pushes().size(), current.recorded() + releases.size(),
                    current.unreadable() + page.unreadable());
        }
        Log.info(current.done() ? "backfill done" : "backfill paused at the deadline", "pushesRead", current.read(),
                "releasesRecorded", current.recorded(), "unreadable", current.unreadable());
        return current;
    }

    private static void pause(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadlinePassedException("the backfill's pause", Instant.now());
        }
    }
}
