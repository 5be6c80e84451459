package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProductionTagsTest {

    @Test
    void parse_commaSeparatedPatterns_trimmingBlanks() {
        ProductionTags tags = ProductionTags.parse(" tag-* , v*.*.* ");

        assertThat(tags.patterns()).containsExactly(TagPattern.of("tag-*"), TagPattern.of("v*.*.*"));
        assertThat(tags).hasToString("tag-*,v*.*.*");
    }

    @Test
    void isProduction_whenAnyPatternMatches() {
        ProductionTags tags = ProductionTags.parse("tag-*,v*.*.*");

        assertThat(tags.isProduction(Tag.of("tag-1-253-0"))).isTrue();
        assertThat(tags.isProduction(Tag.of("v2.0.1"))).isTrue();
        assertThat(tags.isProduction(Tag.of("git-325dc21f"))).isFalse();
        assertThat(tags.isProduction(Tag.of("v2"))).isFalse();
    }

    @Test
    void select_keepsProductionTagsInTheirOrder() {
        ProductionTags tags = ProductionTags.parse("tag-*");

        assertThat(tags.select(List.of(Tag.of("tag-2"), Tag.of("git-1"), Tag.of("tag-1"))))
                .containsExactly(Tag.of("tag-2"), Tag.of("tag-1"));
    }

    @Test
    void parse_rejectsBlankListsAndEmptyEntries() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProductionTags.parse(" "))
                .withMessageContaining("no production tag patterns");
        assertThatIllegalArgumentException().isThrownBy(() -> ProductionTags.parse("tag-*,,v*"))
                .withMessageContaining("empty entry").withMessageContaining("tag-*,,v*");
        assertThatIllegalArgumentException().isThrownBy(() -> ProductionTags.parse("tag-*,"))
                .withMessageContaining("empty entry");
    }
}
