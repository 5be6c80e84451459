package dev.ecrdigestguard.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.image.InstantText;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.text.Echo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads what {@code aws ecr describe-images} prints, one image at a time, without building the document in memory:
 * a repository with a million images costs the images, not a JSON tree on top of them.
 *
 * <p>Accepted: the CLI's {@code {"imageDetails":[…], "nextToken":…}} (several such objects one after another too, as
 * when pages are appended to one file), or a bare array of image details, with or without a UTF-8 byte order mark.
 * Timestamps may be ISO-8601 with an offset (CLI v2: {@code 2022-12-15T10:57:20.000000+01:00}) or epoch seconds
 * (CLI v1: {@code 1671098240.0}), each within {@link InstantRange}. Unknown fields are skipped; {@code nextToken} is
 * ignored. {@code imageStatus} {@code ARCHIVED} or {@code ACTIVATING} (still in archive while being restored) gives the
 * archive storage class.
 *
 * <p>Per image the reader allocates the image and little else: digests and tags are checked by hand, timestamps of the
 * CLI's shape parsed by hand ({@link InstantText}), and the values that repeat from one image to the next (the
 * repository, the media types) are compared with the previous one instead of being read again. Tags are not cached:
 * a tag names one image of a repository, so a file of one repository never repeats one.
 */
public final class DescribeImagesReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** Longer than any timestamp the CLI writes; longer text is not parsed at all. */
    private static final int MAX_TIMESTAMP_TEXT = 64;

    private DescribeImagesReader() {
    }

    /** One {@code imageDetails} entry: the image, and the repository it names when it names one. */
    public record Entry(Optional<RepositoryName> repository, ImageRecord image) {
    }

    /** Hands each image to {@code sink} as soon as it is read. The stream is not closed. */
    public static void read(InputStream in, Consumer<ImageRecord> sink) {
        read(in, (repository, image) -> sink.accept(image));
    }

    /** Like {@link #read(InputStream, Consumer)}, with the repository name of each entry. */
    public static void readEntries(InputStream in, Consumer<Entry> sink) {
        read(in, (repository, image) -> sink.accept(new Entry(repository, image)));
    }

    private static void read(InputStream in, BiConsumer<Optional<RepositoryName>, ImageRecord> sink) {
        Reading reading = null;
        try (JsonParser parser = JSON.createParser(in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            reading = new Reading(parser, sink);
            reading.document();
        } catch (JsonProcessingException e) {
            // Not JSON from the first token: the AWS CLI's text, table or yaml output (output = text in its config).
            String hint = reading != null && reading.started ? "" : "; record it with the AWS CLI's --output json (its"
                    + " text, table and yaml outputs can't be read)";
            throw new IllegalArgumentException("describe-images output is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")") + hint, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read describe-images output: " + e.getMessage(), e);
        }
    }

    /**
     * Streams the images of a file to {@code sink}; errors name the file: {@link IllegalArgumentException} for bad
     * content, {@link UncheckedIOException} when it can't be read.
     */
    public static void read(Path file, Consumer<ImageRecord> sink) {
        try (InputStream in = Files.newInputStream(file)) {
            read(in, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<ImageRecord> readAll(Path file) {
        List<ImageRecord> images = new ArrayList<>();
        read(file, images::add);
        return images;
    }

    /** One pass over one document, with what it has seen so far. */
    private static final class Reading {
        private final JsonParser parser;
        private final BiConsumer<Optional<RepositoryName>, ImageRecord> sink;
        private final Repeated<Optional<RepositoryName>> repository = new Repeated<>();
        private final Repeated<Optional<String>> manifestMediaType = new Repeated<>();
        private final Repeated<Optional<String>> artifactMediaType = new Repeated<>();
        private Tag[] tagBuffer = new Tag[8];
        /** Whether the parser has read a first token: a syntax error before it means the file isn't JSON at all. */
        private boolean started;

        Reading(JsonParser parser, BiConsumer<Optional<RepositoryName>, ImageRecord> sink) {
            this.parser = parser;
            this.sink = sink;
        }

        void document() throws IOException {
            JsonToken token;
            boolean sawImageDetails = false;
            while ((token = parser.nextToken()) != null) {
                started = true;
                if (token == JsonToken.START_ARRAY) {
                    imageDetails();
                    sawImageDetails = true;
                } else if (token == JsonToken.START_OBJECT) {
                    sawImageDetails |= page();
                } else {
                    throw malformed("expected an object with imageDetails or an array of image details");
                }
            }
            if (!sawImageDetails) {
                // Most likely the wrong file: a lifecycle policy, or an error message saved instead of the output.
                throw new IllegalArgumentException("no 'imageDetails' array: not 'aws ecr describe-images' output");
            }
        }

        /** Reads one page object; true when it held an {@code imageDetails} array. */
        private boolean page() throws IOException {
            boolean sawImageDetails = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("imageDetails".equals(field) && value == JsonToken.START_ARRAY) {
                    imageDetails();
                    sawImageDetails = true;
                } else {
                    parser.skipChildren();
                }
            }
            return sawImageDetails;
        }

        private void imageDetails() throws IOException {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.START_OBJECT) {
                    throw malformed("expected an image detail object in imageDetails");
                }
                image();
            }
        }

        /** Reads one image detail and hands it on. */
        private void image() throws IOException {
            Digest digest = null;
            List<Tag> tags = List.of();
            Instant pushedAt = null;
            Instant lastPulledAt = null;
            Instant lastArchivedAt = null;
            Instant lastActivatedAt = null;
            Optional<String> manifestType = Optional.empty();
            Optional<String> artifactType = Optional.empty();
            Optional<RepositoryName> repositoryName = Optional.empty();
            StorageClass storageClass = StorageClass.STANDARD;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                try {
                    switch (field) {
                        case "imageDigest" -> digest = Digest.of(parser.getValueAsString());
                        case "imageTags" -> tags = tags();
                        case "imagePushedAt" -> pushedAt = instant(field);
                        case "lastRecordedPullTime" -> lastPulledAt = instant(field);
                        case "lastArchivedAt" -> lastArchivedAt = instant(field);
                        case "lastActivatedAt" -> lastActivatedAt = instant(field);
                        case "imageManifestMediaType" -> manifestType = manifestMediaType.of(parser, Optional::of,
                                Optional.empty());
                        case "artifactMediaType" -> artifactType = artifactMediaType.of(parser, Optional::of,
                                Optional.empty());
                        case "repositoryName" -> repositoryName = repository.of(parser,
                                name -> Optional.of(RepositoryName.of(name)), Optional.empty());
                        case "imageStatus" -> storageClass = storageClassOf(parser.getValueAsString(), storageClass);
                        default -> parser.skipChildren();
                    }
                } catch (IllegalArgumentException e) {
                    // The value checks and the helpers below say what is wrong; the position is added here, once.
                    throw malformed(e.getMessage());
                }
            }
            if (digest == null) {
                throw malformed("image detail without imageDigest");
            }
            if (pushedAt == null) {
                throw malformed("image " + digest + " has no imagePushedAt");
            }
            ImageRecord image = new ImageRecord(digest, tags, pushedAt, Optional.ofNullable(lastPulledAt),
                    storageClass, Optional.ofNullable(lastArchivedAt), Optional.ofNullable(lastActivatedAt),
                    manifestType, artifactType, List.of());
            sink.accept(repositoryName, image);
        }

        private List<Tag> tags() throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("imageTags must be an array of strings");
            }
            int count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (count == tagBuffer.length) {
                    tagBuffer = Arrays.copyOf(tagBuffer, 2 * count);
                }
                try {
                    tagBuffer[count++] = Tag.of(parser.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("imageTags: " + e.getMessage());
                }
            }
            // Immutable from the start, so the image takes the list as it is instead of copying it.
            return switch (count) {
                case 0 -> List.of();
                case 1 -> List.of(tagBuffer[0]);
                case 2 -> List.of(tagBuffer[0], tagBuffer[1]);
                default -> List.of(Arrays.copyOf(tagBuffer, count));
            };
        }

        /** A timestamp within {@link InstantRange}; null for JSON null; a message naming the field otherwise. */
        private Instant instant(String field) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return InstantRange.ofEpochSeconds(parser.getDecimalValue(), field);
            }
            if (token != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException(field + " must be a timestamp, got " + token);
            }
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            if (length <= MAX_TIMESTAMP_TEXT) {
                for (int i = offset; i < offset + length; i++) {
                    if (chars[i] == 'T') {
                        return InstantRange.parseIso(chars, offset, length, field);
                    }
                }
                try {
                    return InstantRange.ofEpochSeconds(new BigDecimal(chars, offset, length), field);
                } catch (NumberFormatException notANumber) {
                    // neither shape: the message below
                }
            }
            throw new IllegalArgumentException(field + " '" + Echo.of(parser.getText()) + "' is neither ISO-8601 with"
                    + " an offset nor epoch seconds");
        }

        private IllegalArgumentException malformed(String message) {
            var location = parser.currentLocation();
            return new IllegalArgumentException("describe-images output, line " + location.getLineNr() + " column "
                    + location.getColumnNr() + ": " + message);
        }
    }

    /**
     * The value of one field as read from the previous image, reused while the text repeats: every image names its
     * repository and most name the same media types, so checking them again would be the same work a million times.
     */
    private static final class Repeated<T> {
        private String text;
        private T value;

        /** The value of the current string, {@code absent} for null; any other JSON value is an error. */
        T of(JsonParser parser, Function<String, T> read, T absent) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return absent;
            }
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException(parser.currentName() + " must be a string, got "
                        + parser.currentToken());
            }
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            if (text == null || !sameText(text, chars, offset, length)) {
                String newText = new String(chars, offset, length);
                value = read.apply(newText);
                text = newText;
            }
            return value;
        }

        private static boolean sameText(String text, char[] chars, int offset, int length) {
            if (text.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (text.charAt(i) != chars[offset + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static StorageClass storageClassOf(String imageStatus, StorageClass otherwise) {
        if (imageStatus == null) {
            return otherwise;
        }
        return switch (imageStatus) {
            case "ARCHIVED", "ACTIVATING" -> StorageClass.ARCHIVE;
            default -> StorageClass.STANDARD;
        };
    }
}
