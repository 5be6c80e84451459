package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the command line says when the JVM itself gives up (the jar's own run is in CommandLineLimitsIT). */
class MainErrorsTest {

    @Test
    void errorLine_saysWhatRanOut_andWhatToDo() {
        assertThat(Main.errorLine(new OutOfMemoryError("Java heap space")))
                .isEqualTo("out of memory (Java heap space): the input needs more heap than this JVM has; give it "
                        + "more with java -Xmx4g -jar ecr-digest-guard.jar …");
        assertThat(Main.errorLine(new StackOverflowError()))
                .isEqualTo("the input is nested too deeply to process (StackOverflowError)");
    }

    @Test
    void errorLine_ofAnyOtherError_namesIt_onOneEscapedLine() {
        assertThat(Main.errorLine(new InternalError("broken\n\u001b[2J")))
                .isEqualTo("internal error: java.lang.InternalError: broken\\n\\u001B[2J");
    }
}
