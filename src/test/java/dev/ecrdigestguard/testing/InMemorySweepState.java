package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.sweep.SweepState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's checkpoints in memory, with the claim rules of {@code ledger.DynamoDbSweepState} (a step is claimed
 * once, until its lease ends; handed on only by its claimant), for the core's tests (DynamoDB: IT).
 */
public final class InMemorySweepState implements SweepState {

    private record Held(Progress progress, Optional<Instant> leaseUntil) {
    }

    private final Map<String, Held> steps = new HashMap<>();
    private final Map<AccountRegion, LedgerBackfill.Progress> backfills = new HashMap<>();

    private static String key(SweepRequest.Slice slice) {
        return slice.sweepId() + "#" + slice.registry();
    }

    @Override
    public synchronized Claim claim(SweepRequest.Slice slice, Instant now, Instant leaseUntil) {
        Held held = steps.get(key(slice));
        if (held == null) {
            if (slice.step() != 0) {
                return new Claim.Taken();
            }
            steps.put(key(slice), new Held(Progress.start(), Optional.of(leaseUntil)));
            return new Claim.Claimed(Progress.start());
        }
        boolean free = held.leaseUntil().map(until -> until.isBefore(now)).orElse(true);
        if (held.progress().done()) {
            return new Claim.Finished(held.progress());
        }
        if (held.progress().step() == slice.step() + 1 && free) {
            return new Claim.HandedOn(held.progress());
        }
        if (held.progress().step() != slice.step() || !free) {
            return new Claim.Taken();
        }
        steps.put(key(slice), new Held(held.progress(), Optional.of(leaseUntil)));
        return new Claim.Claimed(held.progress());
    }

    @Override
    public synchronized boolean advance(SweepRequest.Slice slice, Progress next) {
        Held held = steps.get(key(slice));
        if (held == null || held.progress().step() != slice.step()) {
            return false;
        }
        steps.put(key(slice), new Held(next, Optional.empty()));
        return true;
    }

    /** Where the registry's part of the sweep got to. */
    public synchronized Optional<Progress> progress(SweepRequest.Slice slice) {
        return Optional.ofNullable(steps.get(key(slice))).map(Held::progress);
    }

    @Override
    public synchronized Optional<LedgerBackfill.Progress> backfill(AccountRegion registry) {
        return Optional.ofNullable(backfills.get(registry));
    }

    @Override
    public synchronized void recordBackfill(AccountRegion registry, LedgerBackfill.Progress progress) {
        backfills.put(registry, progress);
    }
}
