package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantRangeTest {

    @Test
    void parseIso_acceptsOffsetsAndTheEdges() {
        assertThat(InstantRange.parseIso("2022-12-15T10:57:20+01:00", "imagePushedAt"))
                .isEqualTo(Instant.parse("2022-12-15T09:57:20Z"));
        assertThat(InstantRange.parseIso("1970-01-01T00:00:00Z", "t")).isEqualTo(Instant.EPOCH);
        assertThat(InstantRange.parseIso("9999-12-31T23:59:59Z", "t")).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-000001-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z"})
    void parseIso_rejectsInstantsOutsideTheRange_namingTheField(String text) {
        assertThatThrownBy(() -> InstantRange.parseIso(text, "event time"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("event time ")
                .hasMessageContaining("outside the supported range");
    }

    @Test
    void parseIso_rejectsNonsense_withAShortEcho() {
        assertThatThrownBy(() -> InstantRange.parseIso("x".repeat(1_000_000), "--now"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--now 'xxx")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e16", "1e400", "-1", "253402300800", "-1e400"})
    void ofEpochSeconds_rejectsHugeAndNegativeValues(String seconds) {
        assertThatThrownBy(() -> InstantRange.ofEpochSeconds(new BigDecimal(seconds), "imagePushedAt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("imagePushedAt ")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-10", "1e-10000000", "1e-100000000", "5e-1000000000", "0E-999999999"})
    @Timeout(5)
    void ofEpochSeconds_givesTheEpoch_forValuesBelowANanosecond_withoutRescalingThem(String seconds) {
        assertThat(InstantRange.ofEpochSeconds(new BigDecimal(seconds), "imagePushedAt")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void ofEpochSeconds_keepsTheFraction() {
        assertThat(InstantRange.ofEpochSeconds(new BigDecimal("1e-9"), "t")).isEqualTo(Instant.ofEpochSecond(0, 1));
        assertThat(InstantRange.ofEpochSeconds(new BigDecimal("1671098240.25"), "t"))
                .isEqualTo(Instant.parse("2022-12-15T09:57:20.250Z"));
        assertThat(InstantRange.ofEpochSeconds(new BigDecimal("253402300799.999999999"), "t"))
                .isEqualTo(InstantRange.LATEST);
    }
}
