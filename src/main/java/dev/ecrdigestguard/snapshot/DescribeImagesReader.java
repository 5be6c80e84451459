package dev.ecrdigestguard.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
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
 * Reads the output of {@code aws ecr describe-images} one image at a time with a streaming parser, so a repository
 * of a million images is never held as a JSON tree. Timestamps are accepted as AWS CLI v2 prints them (ISO-8601 with
 * an offset) and as CLI v1 does (epoch seconds, possibly fractional). Unknown fields are skipped.
 */
public final class DescribeImagesReader {

    private static final JsonFactory JSON = new JsonFactory();

    private DescribeImagesReader() {
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

    /** Hands every entry of {@code imageDetails} to {@code sink}; a malformed entry is an error naming the field. */
    public static void read(InputStream in, Consumer<ImageRecord> sink) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected the JSON object printed by 'aws ecr describe-images'");
            }
            boolean sawDetails = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("imageDetails") && value == JsonToken.START_ARRAY) {
                    sawDetails = true;
                    int index = 0;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        sink.accept(readImage(parser, index++));
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (!sawDetails) {
                throw new IllegalArgumentException("no 'imageDetails' array: not 'aws ecr describe-images' output");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ImageRecord readImage(JsonParser parser, int index) throws IOException {
        String digest = null;
        List<Tag> tags = new ArrayList<>();
        Instant pushedAt = null;
        Instant lastPull = null;
        Instant archivedAt = null;
        Instant activatedAt = null;
        String status = null;
        String manifestType = null;
        String artifactType = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            String where = "imageDetails[" + index + "]." + field;
            switch (field) {
                case "imageDigest" -> digest = parser.getText();
                case "imageTags" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException(where + " is not a list");
                    }
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        tags.add(Tag.of(parser.getText()));
                    }
                }
                case "imagePushedAt" -> pushedAt = timestamp(parser, value, where);
                case "lastRecordedPullTime" -> lastPull = timestamp(parser, value, where);
                case "lastArchivedAt" -> archivedAt = timestamp(parser, value, where);
                case "lastActivatedAt" -> activatedAt = timestamp(parser, value, where);
                case "imageStatus" -> status = parser.getText();
                case "imageManifestMediaType" -> manifestType = parser.getText();
                case "artifactMediaType" -> artifactType = parser.getText();
                default -> parser.skipChildren();
            }
        }
        if (digest == null) {
            throw new IllegalArgumentException("imageDetails[" + index + "] has no imageDigest");
        }
        if (pushedAt == null) {
            throw new IllegalArgumentException("imageDetails[" + index + "] (" + digest + ") has no imagePushedAt");
        }
        return new ImageRecord(Digest.of(digest), tags, pushedAt, Optional.ofNullable(lastPull),
                "ARCHIVED".equals(status) ? ImageRecord.StorageClass.ARCHIVE : ImageRecord.StorageClass.STANDARD,
                Optional.ofNullable(archivedAt), Optional.ofNullable(activatedAt),
                Optional.ofNullable(manifestType), Optional.ofNullable(artifactType), List.of());
    }

    /** CLI v2: {@code 2022-12-15T10:57:20.123000+01:00}; CLI v1 and the raw API: {@code 1671098240.123}. */
    static Instant timestamp(JsonParser parser, JsonToken value, String where) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal seconds = parser.getDecimalValue();
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        }
        if (value == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException again) {
                    throw new IllegalArgumentException(where + " '" + text + "' is neither ISO-8601 nor epoch seconds");
                }
            }
        }
        throw new IllegalArgumentException(where + " is not a timestamp");
    }
}
