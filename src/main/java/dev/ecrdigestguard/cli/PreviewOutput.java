package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.InstantText;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.CountStanding;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleRule;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code preview} prints, written one decision at a time as the evaluation hands them on, so a million images
 * never sit in memory as output either. {@link #finish()} ends the document; after bad input half-way through a file
 * {@link #abandon()} flushes what was printed instead, and JSON output stays visibly incomplete (no closing brackets)
 * rather than a valid document that misses images.
 */
abstract sealed class PreviewOutput implements Consumer<ImageDecision> {

    /** JSON for {@code json}; text for {@code text} and {@code table} (preview's text is already one row per image). */
    static PreviewOutput of(OutputFormat format, PrintWriter out, Instant at) {
        if (format != OutputFormat.json) {
            return new Text(out, at);
        }
        return out instanceof StandardOutput standard ? new Json(standard.bytes()) : new Json(out);
    }

    /** Ends the output after the last decision. */
    abstract void finish();

    /** Flushes what was printed, leaving the document unfinished. */
    abstract void abandon();

    /**
     * {@code {"images":[{…}, …]}}: one object per image, fields as documented in the README, in UTF-8. Written by
     * hand into a byte buffer rather than through jackson's generator, which was a third of a million-image preview:
     * a digest, a tag, a storage class and an instant need no escaping (their types admit only ASCII letters, digits
     * and {@code :._-}), and the part that depends only on the deciding rule and the action is escaped by jackson once
     * per rule and reused. {@code PreviewJsonProperties} holds the bytes to what jackson's generator writes.
     */
    static final class Json extends PreviewOutput {
        private static final byte[] START = ascii("{\"images\":[");
        private static final byte[] END = ascii("]}" + System.lineSeparator());
        private static final byte[] DIGEST = ascii("{\"imageDigest\":\"");
        private static final byte[] TAGS = ascii("\",\"imageTags\":[");
        private static final byte[] UNRANKED = ascii(",\"rank\":null,\"countNumber\":null,\"headroom\":null");
        private static final byte[] RANK = ascii(",\"rank\":");
        private static final byte[] COUNT = ascii(",\"countNumber\":");
        private static final byte[] HEADROOM = ascii(",\"headroom\":");
        private static final byte[] PUSHED = ascii(",\"imagePushedAt\":\"");
        private static final byte[] STORAGE = ascii("\",\"storageClass\":\"");
        private static final byte[] HELD = ascii("\",\"heldByIndex\":\"");
        private static final byte[] OBJECT_END = ascii("\"}");
        private static final int FLUSH_AT = 60 * 1024;

        private final OutputStream bytes;
        private final Writer characters;
        private byte[] buffer = new byte[FLUSH_AT + 4096];
        private int size;
        private boolean first = true;
        /** {@code ],"action":…,"ruleDescription":…} by action, for no rule and for each rule met so far. */
        private final Map<ImageDecision.Action, Map<Optional<LifecycleRule>, byte[]>> actionAndRule =
                new EnumMap<>(ImageDecision.Action.class);

        /** Into the bytes of the command line's standard output. */
        Json(OutputStream bytes) {
            this.bytes = bytes;
            this.characters = null;
            put(START);
        }

        /** Into a writer (tests): flushed at the end of an image, so every flush is whole characters. */
        Json(Writer characters) {
            this.bytes = null;
            this.characters = characters;
            put(START);
        }

        @Override
        public void accept(ImageDecision decision) {
            ImageRecord image = decision.image();
            if (!first) {
                put((byte) ',');
            }
            first = false;
            put(DIGEST);
            putAscii(image.digest().value());
            put(TAGS);
            List<Tag> tags = image.tags();
            for (int t = 0; t < tags.size(); t++) {
                if (t > 0) {
                    put((byte) ',');
                }
                put((byte) '"');
                putAscii(tags.get(t).value());
                put((byte) '"');
            }
            put(actionAndRule(decision.action(), decision.decidingRule()));
            if (decision.standing().isPresent()) {
                CountStanding standing = decision.standing().get();
                put(RANK);
                putInt(standing.rank());
                put(COUNT);
                putInt(standing.countNumber());
                put(HEADROOM);
                putInt(standing.headroom());
            } else {
                put(UNRANKED);
            }
            put(PUSHED);
            room(InstantText.MAX_LENGTH);
            size = InstantText.write(image.pushedAt(), buffer, size);
            put(STORAGE);
            putAscii(image.storageClass().name());
            if (decision instanceof ImageDecision.Keep keep && keep.heldByIndex().isPresent()) {
                put(HELD);
                putAscii(keep.heldByIndex().get().value());
            }
            put(OBJECT_END);
            if (size >= FLUSH_AT) {
                flush();
            }
        }

        /** {@code ],"action":"KEEP","rulePriority":1,"ruleDescription":"Keep last 50 releases"}, made once per rule. */
        private byte[] actionAndRule(ImageDecision.Action action, Optional<LifecycleRule> rule) {
            return actionAndRule.computeIfAbsent(action, a -> new HashMap<>()).computeIfAbsent(rule, r -> {
                String description = r.flatMap(LifecycleRule::description)
                        .map(text -> "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"")
                        .orElse("null");
                return ("],\"action\":\"" + action.name() + "\",\"rulePriority\":"
                        + r.map(value -> String.valueOf(value.rulePriority())).orElse("null")
                        + ",\"ruleDescription\":" + description).getBytes(StandardCharsets.UTF_8);
            });
        }

        @Override
        void finish() {
            put(END);
            flush();
        }

        @Override
        void abandon() {
            flush();
        }

        private void flush() {
            try {
                if (bytes != null) {
                    bytes.write(buffer, 0, size);
                    bytes.flush();
                } else {
                    characters.write(new String(buffer, 0, size, StandardCharsets.UTF_8));
                    characters.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the preview: " + e.getMessage(), e);
            }
            size = 0;
        }

        private void room(int needed) {
            if (size + needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, size + needed));
            }
        }

        private void put(byte value) {
            room(1);
            buffer[size++] = value;
        }

        private void put(byte[] text) {
            room(text.length);
            System.arraycopy(text, 0, buffer, size, text.length);
            size += text.length;
        }

        /** Text its type keeps to ASCII letters, digits and punctuation that JSON doesn't escape. */
        private void putAscii(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                buffer[size++] = (byte) text.charAt(i);
            }
        }

        private void putInt(int value) {
            room(11);
            size = NumberOutput.outputInt(value, buffer, size);
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
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
