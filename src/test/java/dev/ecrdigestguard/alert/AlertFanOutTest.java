package dev.ecrdigestguard.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.Reports;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertFanOutTest {

    private final CapturedLog log = new CapturedLog();

    @AfterEach
    void restore() {
        log.close();
    }

    /** A channel that works, or fails with the given retryability. */
    private record Channel(String channel, Boolean failsRetryable, List<Instant> deadlines) implements Notifier {

        Channel(String channel, Boolean failsRetryable) {
            this(channel, failsRetryable, new ArrayList<>());
        }

        @Override
        public void send(GuardReport report) {
            send(report, Instant.MAX);
        }

        @Override
        public void send(GuardReport report, Instant deadline) {
            deadlines.add(deadline);
            if (failsRetryable != null) {
                throw new NotificationException(channel + " failed", failsRetryable, null);
            }
        }
    }

    @Test
    void send_oneChannelFailing_doesNotStopTheOthers() {
        Channel sns = new Channel("sns", true);
        Channel slack = new Channel("slack", null);
        Instant deadline = Instant.parse("2026-11-27T10:00:30Z");

        AlertFanOut.Delivery delivery = new AlertFanOut(List.of(sns, slack)).send(Reports.collision(), deadline);

        assertThat(delivery.delivered()).containsExactly("slack");
        assertThat(delivery.failed()).containsExactly("sns");
        assertThat(delivery.rejected("sns")).isFalse();
        assertThat(slack.deadlines()).containsExactly(deadline);
        assertThat(delivery.requireAnyDelivered()).isSameAs(delivery);
    }

    @Test
    void deliver_partialSuccess_doesNotThrow_soLambdaSendsNoDuplicates() {
        AlertFanOut.Delivery delivery = new AlertFanOut(List.of(new Channel("sns", null), new Channel("slack", false)))
                .deliver(Reports.collision());

        assertThat(delivery.delivered()).containsExactly("sns");
        assertThat(delivery.rejected("slack")).isTrue();
    }

    @Test
    void deliver_noChannelDelivered_throws_retryableWhenAnyFailureIs() {
        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> new AlertFanOut(List.of(new Channel("sns", true), new Channel("slack", false)))
                        .deliver(Reports.collision()));

        assertThat(thrown.retryable()).isTrue();
        assertThat(thrown.getMessage()).startsWith("no channel got the alert (sns, slack): sns failed");
        assertThat(thrown.getSuppressed()).hasSize(1);
    }

    @Test
    void deliver_allFailuresAreConfigurationErrors_throwsNotRetryable() {
        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> new AlertFanOut(List.of(new Channel("sns", false), new Channel("slack", false)))
                        .deliver(Reports.collision()));

        assertThat(thrown.retryable()).isFalse();
    }

    @Test
    void send_unexpectedRuntimeException_countsAsRetryableFailure() {
        Notifier broken = new Notifier() {
            @Override
            public String channel() {
                return "sns";
            }

            @Override
            public void send(GuardReport report) {
                throw new IllegalStateException("bug");
            }
        };

        AlertFanOut.Delivery delivery = new AlertFanOut(List.of(broken)).send(Reports.collision(), Instant.MAX);

        assertThat(delivery.failed()).containsExactly("sns");
        assertThat(delivery.rejected("sns")).isFalse();
        assertThat(log.text()).contains("\"channel\":\"sns\"", "IllegalStateException");
    }
}
