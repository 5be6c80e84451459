package dev.ecrdigestguard.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogTimestampTest {

    @Test
    void timestamp_isIsoUtcWithMilliseconds() {
        assertThat(Log.timestamp(Instant.parse("2026-11-27T10:34:30.523375908Z"))).isEqualTo("2026-11-27T10:34:30.523Z");
        assertThat(Log.timestamp(Instant.parse("0999-01-02T03:04:05Z"))).isEqualTo("0999-01-02T03:04:05.000Z");
    }
}
