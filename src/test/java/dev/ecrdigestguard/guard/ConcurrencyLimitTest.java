package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    @Test
    void failedRetryably_halvesTheLimit_onceForABurstOfReadsStartedInTheSameWindow() {
        // GIVEN eight reads started under the full limit
        ConcurrencyLimit limit = new ConcurrencyLimit(8);
        int window = limit.window();

        // WHEN three of them fail retryably
        limit.failedRetryably(window);
        limit.failedRetryably(window);
        limit.failedRetryably(window);

        // THEN the limit is halved once, not three times
        assertThat(limit.current()).isEqualTo(4);
        assertThat(limit.lowest()).isEqualTo(4);
    }

    @Test
    void failedRetryably_halvesAgain_forAReadStartedAfterTheLastDecrease_butNeverBelowOne() {
        ConcurrencyLimit limit = new ConcurrencyLimit(4);

        limit.failedRetryably(limit.window());
        limit.failedRetryably(limit.window());
        limit.failedRetryably(limit.window());
        limit.failedRetryably(limit.window());

        assertThat(limit.current()).isEqualTo(1);
        assertThat(limit.lowest()).isEqualTo(1);
    }

    @Test
    void succeeded_growsTheLimitByOne_perWindowOfSuccesses_upToTheSetting() {
        // GIVEN a limit halved from 8 to 4
        ConcurrencyLimit limit = new ConcurrencyLimit(8);
        limit.failedRetryably(limit.window());

        // WHEN three reads succeed, then a fourth
        for (int i = 0; i < 3; i++) {
            limit.succeeded();
        }
        assertThat(limit.current()).isEqualTo(4);
        limit.succeeded();

        // THEN one more read may run; a long run of successes restores the setting and goes no further
        assertThat(limit.current()).isEqualTo(5);
        for (int i = 0; i < 100; i++) {
            limit.succeeded();
        }
        assertThat(limit.current()).isEqualTo(8);
        assertThat(limit.lowest()).isEqualTo(4);
    }
}
