package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** The hand-written ISO-8601 parsing and formatting agree with {@code java.time} wherever they answer. */
class InstantTextProperties {

    private static final long LATEST_SECOND = InstantRange.LATEST.getEpochSecond();

    @Property(tries = 3000)
    void parseCommonShape_givesTheInstantOfOffsetDateTimeParse_orLeavesTheTextToIt(@ForAll("isoTexts") String text) {
        Instant javaTime;
        try {
            javaTime = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            javaTime = null;
        }

        Instant byHand = InstantText.parseCommonShape(text);

        if (byHand != null) {
            assertThat(byHand).isEqualTo(javaTime);
        }
    }

    @Property(tries = 3000)
    void parseCommonShape_readsEveryInstantAsTheCliWritesIt(@ForAll("instants") Instant instant,
            @ForAll("offsets") ZoneOffset offset, @ForAll("fractionPatterns") String fraction) {
        // AWS CLI v2: 2022-12-15T10:57:20.000000+01:00; v1-style ISO and others: Z, no fraction, milliseconds
        String text = instant.atOffset(offset)
                .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss" + fraction + "xxx"));
        Instant truncated = OffsetDateTime.parse(text).toInstant();

        assertThat(InstantText.parseCommonShape(text)).isEqualTo(truncated);
        assertThat(InstantText.parseCommonShape(truncated.toString())).isEqualTo(truncated);
    }

    @Property(tries = 5000)
    void format_writesWhatInstantToStringWrites(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long second,
            @ForAll("nanos") int nanos) {
        Instant instant = Instant.ofEpochSecond(second, nanos);

        assertThat(InstantText.format(instant)).isEqualTo(instant.toString());
    }

    @Property(tries = 200)
    void format_leavesInstantsOutsideTheRangeToInstant(@ForAll("outside") Instant instant) {
        assertThat(InstantText.format(instant)).isEqualTo(instant.toString());
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(0, LATEST_SECOND - 86_400),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-18 * 4, 18 * 4).map(quarters -> ZoneOffset.ofTotalSeconds(quarters * 900));
    }

    @Provide
    Arbitrary<String> fractionPatterns() {
        return Arbitraries.of("", ".S", ".SSS", ".SSSSSS", ".SSSSSSSSS");
    }

    @Provide
    Arbitrary<Integer> nanos() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(n -> n * 1000),
                Arbitraries.integers().between(0, 999_999_999));
    }

    @Provide
    Arbitrary<Instant> outside() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-62_167_219_200L * 2, -1),
                Arbitraries.longs().between(LATEST_SECOND + 1, Instant.MAX.getEpochSecond()))
                .map(Instant::ofEpochSecond);
    }

    /**
     * Text near the common shape: built from fields at and just past their limits (month 13, February 29 and 30, hour
     * 24, offset +18:01, ten fraction digits…), or valid instants with one character replaced by a digit, a separator,
     * a sign or a letter (lowercase t and z among them), or cut short.
     */
    @Provide
    Arbitrary<String> isoTexts() {
        return Arbitraries.oneOf(composed(), mutated());
    }

    private Arbitrary<String> composed() {
        Arbitrary<String> date = Combinators.combine(Arbitraries.of(0, 1, 1969, 1970, 2000, 2023, 2024, 2100, 9999),
                Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 32))
                .as((year, month, day) -> String.format("%04d-%02d-%02d", year, month, day));
        Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 60))
                .as((hour, minute, second) -> String.format("%02d:%02d:%02d", hour, minute, second));
        Arbitrary<String> fraction = Arbitraries.of("", ".", ".5", ".123", ".000000", ".123456789", ".1234567891");
        Arbitrary<String> offset = Arbitraries.of("Z", "z", "+00:00", "-00:00", "+01:00", "-05:30", "+18:00",
                "-18:00", "+18:01", "+19:00", "+24:00", "+05:60", "+5:00", "+0500", "+05", "+05:00:00", "", "Z ");
        return Combinators.combine(date, time, fraction, offset).as((d, t, f, o) -> d + "T" + t + f + o);
    }

    private Arbitrary<String> mutated() {
        Arbitrary<String> valid = Combinators.combine(instants(), offsets(), fractionPatterns())
                .as((instant, offset, fraction) -> instant.atOffset(offset)
                        .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss" + fraction + "xxx")));
        Arbitrary<Character> replacement = Arbitraries.of('0', '1', '2', '3', '5', '9', ':', '-', '+', '.', 'T',
                't', 'Z', 'z', ' ', 'x');
        return Combinators.combine(valid, Arbitraries.integers().between(0, 40), replacement,
                Arbitraries.integers().between(0, 3))
                .as((text, position, c, mode) -> {
                    int at = Math.min(position, text.length() - 1);
                    return switch (mode) {
                        case 0 -> text;
                        case 1 -> text.substring(0, at) + c + text.substring(at + 1);
                        case 2 -> text.substring(0, at) + c + text.substring(at);
                        default -> text.substring(0, at);
                    };
                });
    }
}
