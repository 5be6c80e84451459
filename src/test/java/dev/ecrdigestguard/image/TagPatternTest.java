package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagPatternTest {

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource({
            // one star: prefix, suffix, middle, and the empty run
            "tag-*,      tag-1-253-0,   true",
            "tag-*,      tag-,          true",
            "tag-*,      xtag-1,        false",
            "*-prod,     api-prod,      true",
            "*-prod,     api-prod-2,    false",
            "v*-rc,      v1.2-rc,       true",
            "*,          anything,      true",
            // several stars
            "v*.*.*,     v1.2.3,        true",
            "v*.*.*,     v10.20.30-rc1, true",
            "v*.*.*,     v1.2,          false",
            "v*.*.*,     v...,          true",
            "*a*b*c*,    xaybzc,        true",
            "*a*b*c*,    cba,           false",
            "a*a,        a,             false",
            "a*a,        aa,            true",
            "**,         x,             true",
            // anchors: without a star the whole tag must be equal
            "latest,     latest,        true",
            "latest,     latest-1,      false",
            "latest,     my-latest,     false",
            "prod*,      preprod-1,     false",
            // case-sensitive, like ECR
            "tag-*,      TAG-1,         false",
            "Release-*,  Release-1,     true",
            "Release-*,  release-1,     false"
    })
    void matches_followsEcrTagPatternListSemantics(String pattern, String tag, boolean expected) {
        assertThat(TagPattern.of(pattern).matches(Tag.of(tag))).isEqualTo(expected);
    }

    @Test
    void of_acceptsFourWildcards_rejectsFive_namingThePattern() {
        assertThat(TagPattern.of("a*b*c*d*e").matches("aXbXcXdXe")).isTrue();

        assertThatIllegalArgumentException().isThrownBy(() -> TagPattern.of("a*b*c*d*e*"))
                .withMessageContaining("a*b*c*d*e*").withMessageContaining("5 wildcards");
    }

    @Test
    void of_rejectsEmptyPatternsAndCharactersNoTagHolds() {
        assertThatIllegalArgumentException().isThrownBy(() -> TagPattern.of("")).withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> TagPattern.of("tag?")).withMessageContaining("'?'");
        assertThatIllegalArgumentException().isThrownBy(() -> TagPattern.of("tag 1")).withMessageContaining("' '");
    }

    @Test
    void prefix_isTheTagPrefixListEntryAsAPattern() {
        assertThat(TagPattern.prefix("tag")).isEqualTo(TagPattern.of("tag*"));
    }

    @Test
    void matches_aLongHostileTag_quickly() {
        String tag = "a".repeat(299) + "b";
        assertThat(TagPattern.of("*a*a*a*c").matches(tag)).isFalse();
    }
}
