package dev.ecrdigestguard.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an EventBridge event from {@code aws.ecr} with a streaming parser: the guard sees every push in the account,
 * most of them not production, so the cold path reads a few strings and never builds a data-binding mapper.
 *
 * <p>Field names are those EventBridge sends ({@code detail-type}, {@code detail.image-tag}, …); unknown fields are
 * skipped so new ECR fields never break the guard.
 */
public final class EcrEventReader {

    static final String SOURCE = "aws.ecr";
    static final String DETAIL_TYPE = "ECR Image Action";

    private static final JsonFactory JSON = new JsonFactory();

    private EcrEventReader() {
    }

    public static EventReading read(InputStream input) {
        Map<String, String> envelope = new HashMap<>();
        Map<String, String> detail = new HashMap<>();
        try (JsonParser parser = JSON.createParser(input)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new EventReading.Malformed("", "event is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("detail") && value == JsonToken.START_OBJECT) {
                    readStrings(parser, detail);
                } else if (value.isScalarValue()) {
                    envelope.put(field, parser.getValueAsString());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            return new EventReading.Malformed("", "event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the event", e);
        }
        return interpret(envelope, detail);
    }

    private static void readStrings(JsonParser parser, Map<String, String> into) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                into.put(field, parser.getValueAsString());
            } else {
                parser.skipChildren();
            }
        }
    }

    private static EventReading interpret(Map<String, String> envelope, Map<String, String> detail) {
        String id = envelope.getOrDefault("id", "");
        if (!SOURCE.equals(envelope.get("source"))) {
            return new EventReading.Ignored(id, "source is '" + envelope.get("source") + "', not " + SOURCE);
        }
        if (!DETAIL_TYPE.equals(envelope.get("detail-type"))) {
            return new EventReading.Ignored(id, "detail-type is '" + envelope.get("detail-type") + "', not '"
                    + DETAIL_TYPE + "'");
        }
        String action = detail.get("action-type");
        if ("DELETE".equals(action)) {
            return deletion(id, envelope, detail);
        }
        if (!"PUSH".equals(action)) {
            return new EventReading.Ignored(id, "action-type is " + action + ", not PUSH");
        }
        String result = detail.get("result");
        if (!"SUCCESS".equals(result)) {
            return new EventReading.Ignored(id, "push result is " + result + ", not SUCCESS");
        }
        String tagText = detail.get("image-tag");
        if (tagText == null || tagText.isEmpty()) {
            // Multi-architecture pushes send one untagged event per child manifest: nothing to guard there.
            return new EventReading.Ignored(id, "push carries no image-tag");
        }
        try {
            String repository = required(detail, "repository-name");
            String digest = required(detail, "image-digest");
            // Checked here because they choose the credentials and region the repository is read with.
            AccountRegion registry = AccountRegion.of(envelopeField(envelope, "account"),
                    envelopeField(envelope, "region"));
            return new EventReading.Push(new PushEvent(
                    id,
                    parseTime(envelope.get("time")),
                    registry.account(),
                    registry.region(),
                    RepositoryName.of(repository),
                    Digest.of(digest),
                    Tag.of(tagText),
                    Optional.ofNullable(detail.get("manifest-media-type")),
                    Optional.ofNullable(detail.get("artifact-media-type"))));
        } catch (IllegalArgumentException e) {
            return new EventReading.Malformed(id, e.getMessage());
        }
    }

    // ---- post-mortem (issue 10): a tagged DELETE, checked like a push

    private static EventReading deletion(String id, Map<String, String> envelope, Map<String, String> detail) {
        String result = detail.get("result");
        if (!"SUCCESS".equals(result)) {
            return new EventReading.Ignored(id, "deletion result is " + result + ", not SUCCESS");
        }
        String tagText = detail.get("image-tag");
        if (tagText == null || tagText.isEmpty()) {
            return new EventReading.Ignored(id, "deletion carries no image-tag");
        }
        try {
            String repository = required(detail, "repository-name");
            String digest = required(detail, "image-digest");
            AccountRegion registry = AccountRegion.of(envelopeField(envelope, "account"),
                    envelopeField(envelope, "region"));
            return new EventReading.Deletion(new DeletionEvent(id, parseTime(envelope.get("time")),
                    registry.account(), registry.region(), RepositoryName.of(repository), Digest.of(digest),
                    Tag.of(tagText)));
        } catch (IllegalArgumentException e) {
            return new EventReading.Malformed(id, e.getMessage());
        }
    }

    // ---- end of post-mortem

    private static String required(Map<String, String> detail, String field) {
        String value = detail.get(field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("detail." + field + " is missing");
        }
        return value;
    }

    private static String envelopeField(Map<String, String> envelope, String field) {
        String value = envelope.get(field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("event " + field + " is missing");
        }
        return value;
    }

    private static Instant parseTime(String time) {
        if (time == null) {
            throw new IllegalArgumentException("event time is missing");
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("event time '" + time + "' is not an ISO-8601 instant");
        }
    }
}
