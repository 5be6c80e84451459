package dev.ecrdigestguard.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads what {@code aws ecr describe-images} prints, one image at a time, without building the document in memory:
 * a repository with a million images costs the images, not a JSON tree on top of them.
 *
 * <p>Accepted: the CLI's {@code {"imageDetails":[…], "nextToken":…}} (several such objects one after another too, as
 * when pages are appended to one file), or a bare array of image details. Timestamps may be ISO-8601 with an offset
 * (CLI v2: {@code 2022-12-15T10:57:20.000000+01:00}) or epoch seconds (CLI v1: {@code 1671098240.0}). Unknown fields
 * are skipped; {@code nextToken} is ignored. {@code imageStatus} {@code ARCHIVED} or {@code ACTIVATING} (still in
 * archive while being restored) gives the archive storage class.
 */
public final class DescribeImagesReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private DescribeImagesReader() {
    }

    /** One {@code imageDetails} entry: the image, and the repository it names when it names one. */
    public record Entry(Optional<RepositoryName> repository, ImageRecord image) {
    }

    /** Hands each image to {@code sink} as soon as it is read. The stream is not closed. */
    public static void read(InputStream in, Consumer<ImageRecord> sink) {
        readEntries(in, entry -> sink.accept(entry.image()));
    }

    /** Like {@link #read(InputStream, Consumer)}, with the repository name of each entry. */
    public static void readEntries(InputStream in, Consumer<Entry> sink) {
        boolean started = false;
        try (JsonParser parser = JSON.createParser(in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            JsonToken token;
            boolean sawImageDetails = false;
            while ((token = parser.nextToken()) != null) {
                started = true;
                if (token == JsonToken.START_ARRAY) {
                    readImageDetails(parser, sink);
                    sawImageDetails = true;
                } else if (token == JsonToken.START_OBJECT) {
                    sawImageDetails |= readPage(parser, sink);
                } else {
                    throw malformed(parser, "expected an object with imageDetails or an array of image details");
                }
            }
            if (!sawImageDetails) {
                // Most likely the wrong file: a lifecycle policy, or an error message saved instead of the output.
                throw new IllegalArgumentException("no 'imageDetails' array: not 'aws ecr describe-images' output");
            }
        } catch (JsonProcessingException e) {
            // Not JSON from the first token: the AWS CLI's text, table or yaml output (output = text in its config).
            String hint = started ? "" : "; record it with the AWS CLI's --output json (its text, table and yaml"
                    + " outputs can't be read)";
            throw new IllegalArgumentException("describe-images output is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")") + hint, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read describe-images output: " + e.getMessage(), e);
        }
    }

    public static List<ImageRecord> readAll(Path file) {
        List<ImageRecord> images = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            read(in, images::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return images;
    }

    /** Reads one page object; true when it held an {@code imageDetails} array. */
    private static boolean readPage(JsonParser parser, Consumer<Entry> sink) throws IOException {
        boolean sawImageDetails = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("imageDetails".equals(field) && value == JsonToken.START_ARRAY) {
                readImageDetails(parser, sink);
                sawImageDetails = true;
            } else {
                parser.skipChildren();
            }
        }
        return sawImageDetails;
    }

    private static void readImageDetails(JsonParser parser, Consumer<Entry> sink) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw malformed(parser, "expected an image detail object in imageDetails");
            }
            sink.accept(readImage(parser));
        }
    }

    private static Entry readImage(JsonParser parser) throws IOException {
        String digest = null;
        List<Tag> tags = List.of();
        Instant pushedAt = null;
        Instant lastPulledAt = null;
        Instant lastArchivedAt = null;
        Instant lastActivatedAt = null;
        String manifestMediaType = null;
        String artifactMediaType = null;
        String repository = null;
        StorageClass storageClass = StorageClass.STANDARD;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "imageDigest" -> digest = parser.getValueAsString();
                case "imageTags" -> tags = readTags(parser);
                case "imagePushedAt" -> pushedAt = readInstant(parser, field);
                case "lastRecordedPullTime" -> lastPulledAt = readInstant(parser, field);
                case "lastArchivedAt" -> lastArchivedAt = readInstant(parser, field);
                case "lastActivatedAt" -> lastActivatedAt = readInstant(parser, field);
                case "imageManifestMediaType" -> manifestMediaType = parser.getValueAsString();
                case "artifactMediaType" -> artifactMediaType = parser.getValueAsString();
                case "repositoryName" -> repository = parser.getValueAsString();
                case "imageStatus" -> storageClass = storageClassOf(parser.getValueAsString(), storageClass);
                default -> parser.skipChildren();
            }
        }
        if (digest == null) {
            throw malformed(parser, "image detail without imageDigest");
        }
        if (pushedAt == null) {
            throw malformed(parser, "image " + digest + " has no imagePushedAt");
        }
        try {
            ImageRecord image = new ImageRecord(Digest.of(digest), tags, pushedAt, Optional.ofNullable(lastPulledAt),
                    storageClass, Optional.ofNullable(lastArchivedAt), Optional.ofNullable(lastActivatedAt),
                    Optional.ofNullable(manifestMediaType), Optional.ofNullable(artifactMediaType), List.of());
            return new Entry(Optional.ofNullable(repository).map(RepositoryName::of), image);
        } catch (IllegalArgumentException e) {
            throw malformed(parser, e.getMessage());
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

    private static List<Tag> readTags(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(parser, "imageTags must be an array of strings");
        }
        List<Tag> tags = new ArrayList<>(2);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            try {
                tags.add(Tag.of(parser.getValueAsString()));
            } catch (IllegalArgumentException e) {
                throw malformed(parser, "imageTags: " + e.getMessage());
            }
        }
        return tags;
    }

    private static Instant readInstant(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return epochSeconds(parser.getDecimalValue());
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notIso) {
                try {
                    return epochSeconds(new BigDecimal(text));
                } catch (NumberFormatException notNumber) {
                    throw malformed(parser, field + " '" + text + "' is neither ISO-8601 with an offset nor epoch"
                            + " seconds");
                }
            }
        }
        throw malformed(parser, field + " must be a timestamp, got " + token);
    }

    private static Instant epochSeconds(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    private static IllegalArgumentException malformed(JsonParser parser, String message) {
        var location = parser.currentLocation();
        return new IllegalArgumentException("describe-images output, line " + location.getLineNr() + " column "
                + location.getColumnNr() + ": " + message);
    }
}
