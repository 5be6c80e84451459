package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BackgroundOutputTest {

    private static final Instant AT = Instant.parse("2024-06-20T00:00:00Z");

    private static ImageDecision decision(int number) {
        return ImageDecision.Keep.unselected(ImageRecord.of(Digest.of(String.format("sha256:%064x", number)), List.of(),
                Instant.ofEpochSecond(number)));
    }

    @Test
    void finish_writesEveryDecisionInTheOrderGiven_acrossBatches() {
        // GIVEN more decisions than fit in a few batches
        StringWriter text = new StringWriter();
        BackgroundOutput output = new BackgroundOutput(PreviewOutput.of(OutputFormat.text, new PrintWriter(text), AT));

        // WHEN
        for (int i = 0; i < 10_000; i++) {
            output.accept(decision(i));
        }
        output.finish();

        // THEN
        String[] lines = text.toString().split(System.lineSeparator());
        assertThat(lines).hasSize(10_001);
        for (int i = 0; i < 10_000; i++) {
            assertThat(lines[i]).contains(Instant.ofEpochSecond(i).toString());
        }
        assertThat(lines[10_000]).isEqualTo("10000 images as of 2024-06-20T00:00:00Z: 0 expire, 0 transition to"
                + " archive, 10000 kept");
    }

    @Test
    void finish_throwsOnTheCallingThread_theErrorTheWriterThreadHit() {
        // GIVEN an output that runs out of memory when it writes
        Writer exhausted = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        BackgroundOutput output = new BackgroundOutput(PreviewOutput.of(OutputFormat.json,
                new PrintWriter(exhausted), AT));
        output.accept(decision(1));

        // WHEN / THEN: the same error, for the command line to report
        assertThatThrownBy(output::finish).isInstanceOf(OutOfMemoryError.class).hasMessage("Java heap space");
    }

    @Test
    void abandon_flushesWhatWasWritten_andLeavesTheJsonUnfinished() {
        StringWriter json = new StringWriter();
        BackgroundOutput output = new BackgroundOutput(PreviewOutput.of(OutputFormat.json, new PrintWriter(json), AT));
        output.accept(decision(1));

        output.abandon();
        output.abandon();

        assertThat(json.toString()).startsWith("{\"images\":[{\"imageDigest\":\"sha256:").doesNotEndWith("]}");
        assertThatThrownBy(() -> new ObjectMapper().readTree(json.toString()))
                .isInstanceOf(JsonProcessingException.class);
    }
}
