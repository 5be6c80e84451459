package dev.ecrdigestguard.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.guard.Guard;
import dev.ecrdigestguard.guard.GuardOutcome;
import dev.ecrdigestguard.guard.GuardResponse;
import dev.ecrdigestguard.image.ProductionTags;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {

    @Test
    void prime_runsTheAlertPathOffline_andBuildsThePorts() {
        // GIVEN the function's guard with a ports factory that counts how often it is asked
        AtomicInteger built = new AtomicInteger();
        Guard function = new Guard(new GuardConfig(ProductionTags.parse("tag-*"), Optional.empty(),
                GuardConfig.Mode.ALERT, GuardConfig.LogLevel.INFO), () -> {
                    built.incrementAndGet();
                    return null;
                });
        SnapStartPriming priming = new SnapStartPriming(function);

        // WHEN the runtime calls the hook before its snapshot
        GuardResponse response = priming.prime();

        // THEN the function's ports were built and the sample push went all the way to a rendered, published alert
        assertThat(built).hasValue(1);
        assertThat(response.outcome()).isEqualTo(GuardOutcome.ALERTED);
        assertThat(response.report().orElseThrow().findings()).extracting(Finding::kind)
                .containsExactly(Finding.Kind.SHARED_DIGEST);
    }
}
