package dev.ecrdigestguard.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.detect.Finding;
import dev.ecrdigestguard.guard.GuardReport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {

    @Test
    void prime_runsTheAlertPathOffline_andBuildsTheWiring() {
        // GIVEN a wiring factory that counts how often it is asked
        AtomicInteger built = new AtomicInteger();
        Supplier<Object> wiring = () -> built.incrementAndGet();
        SnapStartPriming priming = new SnapStartPriming(wiring);

        // WHEN the runtime calls the hook before its snapshot
        GuardReport report = priming.prime();

        // THEN the production wiring was built and the sample push went all the way to a rendered, published alert
        assertThat(built).hasValue(1);
        assertThat(report.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.SHARED_DIGEST);
    }
}
