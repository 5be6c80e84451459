package dev.ecrdigestguard.alert.slack;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SlackTextTest {

    @Test
    void escape_replacesTheThreeControlCharacters() {
        assertThat(SlackText.escape("<!channel> & <https://evil|click>"))
                .isEqualTo("&lt;!channel&gt; &amp; &lt;https://evil|click&gt;");
    }

    @Test
    void fit_keepsShortTextWhole() {
        assertThat(SlackText.fit("tag-1-253-0", 150)).isEqualTo("tag-1-253-0");
    }

    @Test
    void fit_cutsWithAnEllipsis_neverInsideAnEntity() {
        assertThat(SlackText.fit("abc&def", 6)).isEqualTo("abc…");
        assertThat(SlackText.fit("abcdefgh", 5)).isEqualTo("abcd…");
    }

    @Property
    void fit_respectsTheLimit_andLeavesNoRawControlCharacter(
            @ForAll @StringLength(max = 400) @Chars({'a', 'b', '&', '<', '>', ' ', 'é'}) String raw,
            @ForAll @IntRange(min = 6, max = 300) int limit) {
        String text = SlackText.fit(raw, limit);

        assertThat(text.length()).isLessThanOrEqualTo(limit);
        assertThat(text).doesNotContain("<", ">");
        assertThat(text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")).doesNotContain("&");
    }
}
