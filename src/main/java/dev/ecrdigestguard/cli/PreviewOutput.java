package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.InstantText;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@code preview} prints, written one decision at a time as the evaluation hands them on, so a million images
 * never sit in memory as output either. {@link #finish()} ends the document; after bad input half-way through a file
 * {@link #abandon()} flushes what was printed instead, and JSON output stays visibly incomplete (no closing brackets)
 * rather than a valid document that misses images.
 */
abstract sealed class PreviewOutput implements Consumer<ImageDecision> {

    private static final JsonFactory FACTORY = new JsonFactory();

    static PreviewOutput of(OutputFormat format, PrintWriter out, Instant at) {
        if (format == OutputFormat.text) {
            return new Text(out, at);
        }
        try {
            return new Json(out instanceof StandardOutput standard
                    ? FACTORY.createGenerator(new BufferedOutputStream(standard.bytes(), 1 << 16))
                    : FACTORY.createGenerator(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the output after the last decision. */
    abstract void finish();

    /** Flushes what was printed, leaving the document unfinished. */
    abstract void abandon();

    /**
     * {@code {"images":[{…}, …]}}: one object per image, fields as documented in the README. Written as UTF-8 bytes
     * when the output is the command line's standard output, through the writer otherwise (tests).
     */
    static final class Json extends PreviewOutput {
        private final JsonGenerator json;

        Json(JsonGenerator json) {
            this.json = json;
            try {
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
                json.writeStartObject();
                json.writeArrayFieldStart("images");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void accept(ImageDecision decision) {
            ImageRecord image = decision.image();
            try {
                json.writeStartObject();
                json.writeStringField("imageDigest", image.digest().value());
                LifecycleJson.tags(json, "imageTags", image.tags());
                json.writeStringField("action", decision.action().name());
                LifecycleJson.ruleAndStanding(json, decision.decidingRule(), decision.standing());
                json.writeStringField("imagePushedAt", InstantText.format(image.pushedAt()));
                json.writeStringField("storageClass", image.storageClass().name());
                if (decision instanceof ImageDecision.Keep keep && keep.heldByIndex().isPresent()) {
                    json.writeStringField("heldByIndex", keep.heldByIndex().get().value());
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void finish() {
            try {
                json.writeEndArray();
                json.writeEndObject();
                json.writeRaw(System.lineSeparator());
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void abandon() {
            try {
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One line per image, then a summary line. */
    static final class Text extends PreviewOutput {
        private final PrintWriter out;
        private final Instant at;
        private final Map<ImageDecision.Action, Integer> counts = new EnumMap<>(ImageDecision.Action.class);
        private final StringBuilder line = new StringBuilder(256);
        private int images;

        Text(PrintWriter out, Instant at) {
            this.out = out;
            this.at = at;
        }

        @Override
        public void accept(ImageDecision decision) {
            images++;
            counts.merge(decision.action(), 1, Integer::sum);
            ImageRecord image = decision.image();
            line.setLength(0);
            String action = decision.action().name();
            line.append(action).append(" ".repeat(Math.max(0, 10 - action.length()))).append(' ')
                    .append(image.digest().shortForm()).append("  ")
                    .append(InstantText.format(image.pushedAt())).append("  ");
            if (image.tags().isEmpty()) {
                line.append("<untagged>");
            } else {
                for (int t = 0; t < image.tags().size(); t++) {
                    Tag tag = image.tags().get(t);
                    line.append(t == 0 ? "" : ",").append(tag.value());
                }
            }
            line.append("  ").append(LifecycleJson.standingText(decision.decidingRule(), decision.standing()));
            if (decision instanceof ImageDecision.Keep keep && keep.heldByIndex().isPresent()) {
                line.append(", held by index ").append(keep.heldByIndex().get().shortForm());
            }
            // Not println: the command line's writer flushes on every println, a system call per image.
            out.append(line.append(System.lineSeparator()));
        }

        @Override
        void finish() {
            out.printf("%d images as of %s: %d expire, %d transition to archive, %d kept%n", images, at,
                    counts.getOrDefault(ImageDecision.Action.EXPIRE, 0),
                    counts.getOrDefault(ImageDecision.Action.TRANSITION, 0),
                    counts.getOrDefault(ImageDecision.Action.KEEP, 0));
            out.flush();
        }

        @Override
        void abandon() {
            out.flush();
        }
    }
}
