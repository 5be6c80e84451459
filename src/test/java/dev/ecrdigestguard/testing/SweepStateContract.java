package dev.ecrdigestguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.sweep.SweepState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SweepState} must do, so a sweep too big for one invocation judges every repository once whatever
 * Lambda does to its events (delivers one twice, retries one that died): a step is claimed by one invocation, until
 * its lease ends; only the claimant hands it on; a hand-over that may have been lost is said so. Run against the
 * in-memory fake (unit) and the DynamoDB table (IT, moto).
 */
public abstract class SweepStateContract {

    protected static final AccountRegion REGISTRY = AccountRegion.of("123456789012", "eu-west-1");
    protected static final Instant SWEEP = Instant.parse("2024-03-01T06:00:00Z");
    protected static final Instant NOW = SWEEP.plusSeconds(1);
    protected static final Instant LEASE = NOW.plus(Duration.ofMinutes(15));

    /** A new, empty state. */
    protected abstract SweepState state();

    static SweepRequest.Slice step(int step) {
        return new SweepRequest.Slice(SWEEP, REGISTRY, step);
    }

    static SweepState.Progress after(int step, String cursor, boolean done) {
        return new SweepState.Progress(step, cursor, List.of(RepositoryName.of("app-05")), 5L * step, 1, 2, done);
    }

    @Test
    void firstStep_isClaimedOnce_andNoLaterStepBeforeIt() {
        SweepState state = state();

        assertThat(state.claim(step(1), NOW, LEASE)).as("a step before its sweep began")
                .isInstanceOf(SweepState.Claim.Taken.class);
        assertThat(state.claim(step(0), NOW, LEASE)).isEqualTo(new SweepState.Claim.Claimed(
                SweepState.Progress.start()));
        assertThat(state.claim(step(0), NOW, LEASE)).as("the same event delivered twice")
                .isInstanceOf(SweepState.Claim.Taken.class);
    }

    @Test
    void handedOnStep_isClaimedFromWhereTheLastOneStopped() {
        SweepState state = state();
        state.claim(step(0), NOW, LEASE);

        assertThat(state.advance(step(0), after(1, "app-06", false))).isTrue();

        assertThat(state.claim(step(1), NOW, LEASE)).isEqualTo(new SweepState.Claim.Claimed(after(1, "app-06",
                false)));
        assertThat(state.advance(step(0), after(1, "app-99", false))).as("the old step, handing on again").isFalse();
    }

    @Test
    void doneStep_whoseSuccessorIsNotRunning_isReportedHandedOn_andAFinishedSweepFinished() {
        SweepState state = state();
        state.claim(step(0), NOW, LEASE);
        state.advance(step(0), after(1, "app-06", false));

        assertThat(state.claim(step(0), NOW, LEASE)).as("step 0 retried after it handed on")
                .isEqualTo(new SweepState.Claim.HandedOn(after(1, "app-06", false)));

        state.claim(step(1), NOW, LEASE);
        state.advance(step(1), after(2, "app-06", true));
        assertThat(state.claim(step(2), NOW, LEASE)).isEqualTo(new SweepState.Claim.Finished(after(2, "app-06",
                true)));
    }

    @Test
    void claimedStep_whoseInvocationDied_isClaimedAgainOnceItsLeaseEnds() {
        SweepState state = state();
        state.claim(step(0), NOW, LEASE);

        assertThat(state.claim(step(0), LEASE.minusSeconds(1), LEASE.plusSeconds(900)))
                .isInstanceOf(SweepState.Claim.Taken.class);
        assertThat(state.claim(step(0), LEASE.plusSeconds(1), LEASE.plusSeconds(900)))
                .isEqualTo(new SweepState.Claim.Claimed(SweepState.Progress.start()));
    }

    @Test
    void backfill_isRememberedPerRegistry() {
        SweepState state = state();
        LedgerBackfill.Progress paused = new LedgerBackfill.Progress(SWEEP.minus(Duration.ofDays(90)), SWEEP,
                Optional.of("token-2"), false, 50, 3, 1);

        assertThat(state.backfill(REGISTRY)).isEmpty();
        state.recordBackfill(REGISTRY, paused);

        assertThat(state.backfill(REGISTRY)).contains(paused);
        assertThat(state.backfill(AccountRegion.of("123456789012", "us-east-1"))).isEmpty();
    }
}
