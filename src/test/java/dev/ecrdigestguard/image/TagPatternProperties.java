package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TagPatternProperties {

    @Property
    void aPatternWithoutStars_matchesOnlyItself(@ForAll("tags") String pattern, @ForAll("tags") String tag) {
        assertThat(TagPattern.of(pattern).matches(tag)).isEqualTo(pattern.equals(tag));
        assertThat(TagPattern.of(pattern).matches(pattern)).isTrue();
    }

    @Property
    void prefixStar_isStartsWith(@ForAll("tags") String prefix, @ForAll("tags") String tag) {
        assertThat(TagPattern.of(prefix + "*").matches(tag)).isEqualTo(tag.startsWith(prefix));
        assertThat(TagPattern.of(prefix + "*").matches(prefix + tag)).isTrue();
    }

    @Property
    void starPattern_matchesWhatTheEquivalentRegexMatches(@ForAll("patterns") String pattern,
                                                           @ForAll("tags") String tag) {
        String regex = ("\\Q" + pattern.replace("*", "\\E.*\\Q") + "\\E");

        assertThat(TagPattern.of(pattern).matches(tag)).isEqualTo(tag.matches(regex));
    }

    /** Short tags over a tiny alphabet, so prefixes, collisions and near-misses are common. */
    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.strings().withChars('a', 'b', '-', '.').ofMinLength(1).ofMaxLength(6)
                .map(tail -> "a" + tail.substring(1));
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', '-', '*').ofMinLength(1).ofMaxLength(7)
                .filter(p -> p.chars().filter(c -> c == '*').count() <= TagPattern.MAX_WILDCARDS);
    }
}
