package dev.ecrdigestguard.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EchoProperties {

    @Property
    void of_neverShowsACharacterThatActs_andStaysWithinItsLimit(@ForAll String value,
                                                               @ForAll @IntRange(min = 1, max = 200) int limit) {
        String shown = Echo.of(value, limit);

        assertThat(shown.codePoints()).noneMatch(Echo::acts);
        // The note of the real length comes on top of the limit; one escape may straddle it.
        assertThat(shown.length()).isLessThanOrEqualTo(limit + "\\u0000... (2147483647 characters)".length());
    }

    @Property
    void of_leavesPlainShortTextAsItIs(@ForAll("plain") String value) {
        assertThat(Echo.of(value, 1000)).isEqualTo(value);
    }

    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("éü€漢").ofMaxLength(300);
    }

    static Stream<Arguments> actingCharacters() {
        return Stream.of(
                Arguments.of("ANSI colour", "\u001b[31mred\u001b[0m", "\\u001B[31mred\\u001B[0m"),
                Arguments.of("carriage return", "ok\rEVIL", "ok\\rEVIL"),
                Arguments.of("newline and tab", "a\nb\tc", "a\\nb\\tc"),
                Arguments.of("NUL and DEL", "a\u0000b\u007f", "a\\u0000b\\u007F"),
                Arguments.of("C1 control", "a\u009bb", "a\\u009Bb"),
                Arguments.of("line separator", "a\u2028b", "a\\u2028b"),
                Arguments.of("right-to-left override", "abc\u202Efed", "abc\\u202Efed"),
                Arguments.of("zero width and BOM", "\uFEFFa\u200Bb", "\\uFEFFa\\u200Bb"),
                Arguments.of("emoji stays", "\uD83D\uDE80 ship", "\uD83D\uDE80 ship"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actingCharacters")
    void of_escapesWhatActs_andKeepsWhatShows(String name, String value, String shown) {
        assertThat(Echo.of(value)).isEqualTo(shown);
    }

    @Test
    void of_cutsAHugeValue_andSaysHowLongItWas() {
        String huge = "x".repeat(10_000_000);

        String shown = Echo.of(huge);

        assertThat(shown).isEqualTo("x".repeat(Echo.VALUE) + "... (10000000 characters)");
    }

    @Test
    void of_neverSplitsACharacterOutsideTheBasicPlane() {
        String rockets = "\uD83D\uDE80".repeat(100);

        String shown = Echo.of(rockets, 5);

        assertThat(shown).startsWith("\uD83D\uDE80\uD83D\uDE80\uD83D\uDE80").endsWith("... (200 characters)");
        // A lone surrogate would be a broken character: every code point of the result is whole.
        assertThat(shown.codePoints()).noneMatch(codePoint -> codePoint >= 0xD800 && codePoint <= 0xDFFF);
    }

    @Test
    void of_escapesALoneSurrogate_andNull() {
        assertThat(Echo.of("a\uD800b")).isEqualTo("a\\uD800b");
        assertThat(Echo.of(null)).isEqualTo("null");
    }
}
