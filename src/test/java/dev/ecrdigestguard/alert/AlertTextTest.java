package dev.ecrdigestguard.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "line breaks      | 'Keep\nlast\r\n5'            | Keep last 5",
        "line separator   | 'Keep\u2028last'              | Keep last",
        "CSI sequence     | 'Keep \u001b[2J\u001b[31mlast' | Keep last",
        "OSC title        | 'a\u001b]0;owned\u0007b'       | ab",
        "NUL and DEL      | 'a\u0000b\u007fc'              | abc",
        "bidi override    | 'tag\u202e1-0'                 | tag1-0",
        "trailing newline | 'Keep last 5\n'               | Keep last 5",
    })
    void oneLine_removesWhatCouldForgeOrHideText(String name, String raw, String clean) {
        assertThat(AlertText.oneLine(raw, 100)).isEqualTo(clean);
    }

    @Test
    void oneLine_cutsLongText_withAnEllipsis_withinTheLimit() {
        String cut = AlertText.oneLine("x".repeat(1_000_000), 50);

        assertThat(cut).hasSize(50).endsWith("…");
        assertThat(AlertText.oneLine("exactly ten", 11)).isEqualTo("exactly ten");
    }

    @Test
    void oneLine_neverSplitsASurrogatePair() {
        String cut = AlertText.oneLine("a\uD83D\uDE80\uD83D\uDE80\uD83D\uDE80", 3);

        assertThat(cut).isEqualTo("a…");
    }
}
