package dev.ecrdigestguard.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.text.Echo;
import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an EventBridge event from {@code aws.ecr} with a streaming parser: the guard sees every push in the account,
 * most of them not production, so the cold path reads a few strings and never builds a data-binding mapper.
 *
 * <p>Field names are those EventBridge sends ({@code detail-type}, {@code detail.image-tag}, …); unknown fields are
 * skipped so new ECR fields never break the guard. What it reads, it reads strictly, because EventBridge never sends
 * anything else and a lenient reading of a hand-made or corrupted event acts on a guess: the fields it uses must be
 * strings (JSON {@code null} counts as absent), no object may repeat a key, nothing may follow the event, and an
 * {@code ECR Image Action}'s {@code detail} must be an object. Anything else is {@link EventReading.Malformed}, with a
 * reason that names the field and echoes at most a short, escaped part of the value.
 *
 * <p>Input is bounded before it is parsed: at most {@link #MAX_EVENT_BYTES} bytes (EventBridge events are at most
 * 256 KB, Lambda's asynchronous payloads 1 MB) and {@link #MAX_NESTING} levels of nesting, so a hostile body costs a
 * bounded amount of time and memory and never reaches an AWS call.
 */
public final class EcrEventReader {

    static final String SOURCE = "aws.ecr";
    static final String DETAIL_TYPE = "ECR Image Action";
    /** Lambda's limit for an asynchronous invocation's payload; EventBridge's own limit is 256 KB. */
    static final int MAX_EVENT_BYTES = 1024 * 1024;
    static final int MAX_NESTING = 64;

    /**
     * EventBridge event ids are UUIDs; hand-made events for {@code check} use short names, or none. Nothing that
     * means something in an alert's markup ({@code <!channel>}, {@code *}, a backquote) gets in with the id.
     */
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{0,256}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    /** A media type is short printable ASCII (RFC 6838 names, parameters included); nothing reads it yet. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[\\x20-\\x7E]{1,255}");

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_EVENT_BYTES)
                    .build())
            .build();

    private EcrEventReader() {
    }

    public static EventReading read(InputStream input) {
        Fields envelope = new Fields("");
        Fields detail = new Fields("detail.");
        String detailShape = null;
        try (JsonParser parser = JSON.createParser(new Bounded(input))) {
            JsonToken root = parser.nextToken();
            if (root != JsonToken.START_OBJECT) {
                return new EventReading.Malformed("", "event is not a JSON object"
                        + (root == null ? " (empty input)" : ", it starts with " + describe(parser, root)));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("detail")) {
                    detailShape = value == JsonToken.START_OBJECT ? "object" : describe(parser, value);
                    if (value == JsonToken.START_OBJECT) {
                        readFields(parser, detail);
                    } else {
                        parser.skipChildren();
                    }
                } else {
                    envelope.read(field, parser, value);
                }
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                return new EventReading.Malformed(envelope.idOrBlank(), "trailing content after the event object ("
                        + describe(parser, after) + "); an event file holds exactly one event");
            }
        } catch (Bounded.TooLarge e) {
            return new EventReading.Malformed("", "event is larger than " + MAX_EVENT_BYTES / 1024 + " KB; "
                    + "EventBridge events are at most 256 KB");
        } catch (CharConversionException e) {
            return new EventReading.Malformed("", "event is not UTF-8 text: " + Echo.of(e.getMessage()));
        } catch (JsonProcessingException e) {
            return new EventReading.Malformed("", "event is not valid JSON: " + Echo.of(e.getOriginalMessage(), 160)
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the event", e);
        }
        return interpret(envelope, detailShape, detail);
    }

    private static void readFields(JsonParser parser, Fields into) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            into.read(field, parser, parser.nextToken());
        }
    }

    private static EventReading interpret(Fields envelope, String detailShape, Fields detail) {
        Optional<String> idProblem = envelope.problemWith("id", EVENT_ID, "an event id (EventBridge ids are UUIDs)");
        if (idProblem.isPresent()) {
            return new EventReading.Malformed("", idProblem.get());
        }
        String id = envelope.idOrBlank();
        try {
            String source = envelope.required("source", "not an EventBridge event: it has no 'source'"
                    + (envelope.has("Records") || envelope.has("Message") || envelope.has("Type")
                    ? " (it looks like an SQS or SNS delivery; the function takes the EventBridge event itself, "
                    + "as an EventBridge rule delivers it)" : ""));
            if (!SOURCE.equals(source)) {
                return new EventReading.Ignored(id, "source is '" + Echo.of(source) + "', not " + SOURCE);
            }
            String detailType = envelope.required("detail-type", "detail-type is missing");
            if (!DETAIL_TYPE.equals(detailType)) {
                return new EventReading.Ignored(id, "detail-type is '" + Echo.of(detailType) + "', not '"
                        + DETAIL_TYPE + "'");
            }
            if (!"object".equals(detailShape)) {
                throw new IllegalArgumentException(detailShape == null ? "detail is missing"
                        : "detail must be an object, got " + detailShape);
            }
            detail.rejectWrongTypes();
            String action = detail.required("action-type", "detail.action-type is missing");
            boolean deletion = "DELETE".equals(action);
            if (!"PUSH".equals(action) && !deletion) {
                return new EventReading.Ignored(id, "action-type is " + Echo.of(action) + ", neither PUSH nor DELETE");
            }
            String what = deletion ? "deletion" : "push";
            String result = detail.required("result", "detail.result is missing");
            if (!"SUCCESS".equals(result)) {
                return new EventReading.Ignored(id, what + " result is " + Echo.of(result) + ", not SUCCESS");
            }
            Optional<String> tagText = detail.optional("image-tag");
            if (tagText.isEmpty() || tagText.get().isEmpty()) {
                // Multi-architecture pushes send one untagged event per child manifest: nothing to guard there; an
                // untagged deletion removed no release tag.
                return new EventReading.Ignored(id, what + " carries no image-tag");
            }
            envelope.rejectWrongTypes();
            envelope.problemWith("account", ACCOUNT, "a 12-digit AWS account id").ifPresent(Fields::fail);
            envelope.problemWith("region", REGION, "an AWS region such as eu-west-1").ifPresent(Fields::fail);
            if (deletion) {
                return deletion(id, envelope, detail, tagText.get());
            }
            detail.problemWith("manifest-media-type", MEDIA_TYPE, "a media type").ifPresent(Fields::fail);
            detail.problemWith("artifact-media-type", MEDIA_TYPE, "a media type").ifPresent(Fields::fail);
            return new EventReading.Push(new PushEvent(
                    id,
                    InstantRange.parseIso(envelope.required("time", "event time is missing"), "event time"),
                    // Required: they choose the credentials and region the repository is read with.
                    envelope.required("account", "event account is missing"),
                    envelope.required("region", "event region is missing"),
                    RepositoryName.of(detail.required("repository-name", "detail.repository-name is missing")),
                    Digest.of(detail.required("image-digest", "detail.image-digest is missing")),
                    Tag.of(tagText.get()),
                    detail.optional("manifest-media-type"),
                    detail.optional("artifact-media-type")));
        } catch (IllegalArgumentException e) {
            return new EventReading.Malformed(id, e.getMessage());
        }
    }

    // ---- post-mortem (issue 10): a tagged DELETE, checked like a push

    private static EventReading deletion(String id, Fields envelope, Fields detail, String tag) {
        return new EventReading.Deletion(new DeletionEvent(id,
                InstantRange.parseIso(envelope.required("time", "event time is missing"), "event time"),
                envelope.required("account", "event account is missing"),
                envelope.required("region", "event region is missing"),
                RepositoryName.of(detail.required("repository-name", "detail.repository-name is missing")),
                Digest.of(detail.required("image-digest", "detail.image-digest is missing")),
                Tag.of(tag)));
    }

    // ---- end of post-mortem

    /** What a token is, for a message: its JSON type and, for a scalar, a short escaped echo of it. */
    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean " + token.asString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number " + Echo.of(parser.getText(), 40);
            case VALUE_STRING -> "a string '" + Echo.of(parser.getText(), 40) + "'";
            default -> token.name();
        };
    }

    /**
     * The string fields of one object: each is a string, absent ({@code null} or missing), or of the wrong type —
     * remembered rather than rejected at once, because a wrong type matters only in an event the guard acts on.
     */
    private static final class Fields {
        /** The fields the guard reads, in the envelope and in the detail. */
        private static final Set<String> READ = Set.of("id", "source", "detail-type", "time", "account", "region",
                "action-type", "result", "image-tag", "repository-name", "image-digest", "manifest-media-type",
                "artifact-media-type");

        private final String prefix;
        private final Map<String, String> strings = new HashMap<>();
        private final Map<String, String> wrongTypes = new HashMap<>();

        Fields(String prefix) {
            this.prefix = prefix;
        }

        void read(String field, JsonParser parser, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                strings.put(field, parser.getText());
            } else if (value != JsonToken.VALUE_NULL) {
                wrongTypes.put(field, describe(parser, value));
                parser.skipChildren();
            }
        }

        boolean has(String field) {
            return strings.containsKey(field) || wrongTypes.containsKey(field);
        }

        Optional<String> optional(String field) {
            requireString(field);
            return Optional.ofNullable(strings.get(field));
        }

        String required(String field, String whenMissing) {
            requireString(field);
            String value = strings.get(field);
            if (value == null) {
                throw new IllegalArgumentException(whenMissing);
            }
            return value;
        }

        String idOrBlank() {
            String id = strings.get("id");
            return id != null && EVENT_ID.matcher(id).matches() ? id : "";
        }

        /** Why {@code field} is not a string matching {@code format}; empty when it is, or when it is absent. */
        Optional<String> problemWith(String field, Pattern format, String expected) {
            if (wrongTypes.containsKey(field)) {
                return Optional.of(wrongType(field));
            }
            String value = strings.get(field);
            if (value == null || format.matcher(value).matches()) {
                return Optional.empty();
            }
            return Optional.of(prefix + field + " '" + Echo.of(value) + "' is not " + expected);
        }

        /** The fields the guard reads are strings; the first that isn't makes the event malformed. */
        void rejectWrongTypes() {
            for (String field : wrongTypes.keySet().stream().sorted().toList()) {
                if (READ.contains(field)) {
                    fail(wrongType(field));
                }
            }
        }

        private void requireString(String field) {
            if (wrongTypes.containsKey(field)) {
                fail(wrongType(field));
            }
        }

        private String wrongType(String field) {
            return prefix + field + " must be a string, got " + wrongTypes.get(field);
        }

        static void fail(String reason) {
            throw new IllegalArgumentException(reason);
        }
    }

    /** The input, cut off with {@link TooLarge} past {@link #MAX_EVENT_BYTES}: nothing larger is an event. */
    private static final class Bounded extends FilterInputStream {
        private long remaining = MAX_EVENT_BYTES;

        Bounded(InputStream in) {
            super(in);
        }

        static final class TooLarge extends IOException {
            TooLarge() {
                super("event too large");
            }
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count(read);
            }
            return read;
        }

        private void count(int bytes) throws TooLarge {
            remaining -= bytes;
            if (remaining < 0) {
                throw new TooLarge();
            }
        }
    }
}
