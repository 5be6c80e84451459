package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where each registry's part of a sweep got to (port): which step is next, which repository it starts from, and
 * whether an invocation is at work on it — so a sweep too big for one invocation goes on in the next, every
 * repository judged once, and a duplicated or retried invocation finds its step taken. Also how far each registry's
 * backfill from CloudTrail got. The function keeps it in the ledger's DynamoDB table; failures are
 * {@code ServiceFailure}s.
 */
public interface SweepState {

    /**
     * What one registry's part of a sweep has done.
     *
     * @param step        the step to run next
     * @param cursor      the first repository (in name order) not yet started; empty at the beginning
     * @param carriedOver repositories started but cut short by the end of an invocation, judged first by the next
     * @param judged      repositories judged so far
     * @param notJudged   repositories given up on (read failures, or cut short twice)
     * @param atRisk      releases found at risk so far
     * @param done        whether every repository has been dealt with
     */
    record Progress(int step, String cursor, List<RepositoryName> carriedOver, long judged, long notJudged,
                    long atRisk, boolean done) {
        public Progress {
            Objects.requireNonNull(cursor, "cursor");
            carriedOver = List.copyOf(carriedOver);
        }

        public static Progress start() {
            return new Progress(0, "", List.of(), 0, 0, 0, false);
        }
    }

    /** Whether an invocation may run the step its event asks for. */
    sealed interface Claim {
        /** Yours: run it from {@code progress}. */
        record Claimed(Progress progress) implements Claim { }

        /**
         * The step was done and handed on, but its successor isn't running: the hand-over may have been lost (the
         * invocation failed after saving), so send it again; a duplicate finds the step taken.
         */
        record HandedOn(Progress progress) implements Claim { }

        /** Another invocation is at it, or has been further: nothing to do. */
        record Taken() implements Claim { }

        /** The registry's part is done. */
        record Finished(Progress progress) implements Claim { }
    }

    /** Claims step {@code slice.step()} until {@code leaseUntil} (when the claiming invocation ends). */
    Claim claim(SweepRequest.Slice slice, Instant now, Instant leaseUntil);

    /**
     * Records what the claimed step did and releases the claim: {@code next} is the progress for the following step.
     *
     * @return false when the step was no longer this invocation's (its claim expired and another took it)
     */
    boolean advance(SweepRequest.Slice slice, Progress next);

    /** How far the registry's backfill got, if it was ever started. */
    Optional<LedgerBackfill.Progress> backfill(AccountRegion registry);

    void recordBackfill(AccountRegion registry, LedgerBackfill.Progress progress);
}
