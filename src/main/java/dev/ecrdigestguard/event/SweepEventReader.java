package dev.ecrdigestguard.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ecrdigestguard.image.AccountRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the guard's own sweep events, strictly: they come from the template's schedule and from the function itself,
 * so anything else in them — an unknown field, a wrong type, a missing or out-of-range value — is a mistake (or a
 * forgery) and is refused with the field named, never half-understood.
 *
 * <pre>
 * {"source":"ecr-digest-guard","detail-type":"Sweep","version":"1",
 *  "time":"&lt;aws.scheduler.scheduled-time&gt;","id":"&lt;aws.scheduler.execution-id&gt;"}
 * {"source":"ecr-digest-guard","detail-type":"Sweep Slice","version":"1","time":"2024-03-01T06:00:00Z",
 *  "detail":{"account":"111122223333","region":"eu-west-1","step":2}}
 * </pre>
 */
public final class SweepEventReader {

    static final String SWEEP = "Sweep";
    static final String SLICE = "Sweep Slice";
    /** A sweep event is a few hundred bytes; anything much larger is not one. */
    public static final int MAX_BYTES = 4096;

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> SWEEP_FIELDS = Set.of("source", "detail-type", "version", "time", "id");
    private static final Set<String> SLICE_FIELDS = Set.of("source", "detail-type", "version", "time", "detail");
    private static final Set<String> SLICE_DETAIL = Set.of("account", "region", "step");

    private SweepEventReader() {
    }

    /** What reading a sweep event gave: a request, or why the event is not one. */
    public sealed interface Reading {
        record Request(SweepRequest request) implements Reading { }

        record Malformed(String reason) implements Reading { }
    }

    /**
     * Whether {@code event} claims to be one of the guard's sweep events: its top-level {@code source} is
     * {@value SweepRequest#SOURCE}. ECR's events (source {@code aws.ecr}) and anything else go to the ECR reader.
     */
    public static boolean isSweepEvent(byte[] event) {
        try (JsonParser parser = JSON.createParser(event)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("source")) {
                    return value == JsonToken.VALUE_STRING && SweepRequest.SOURCE.equals(parser.getText());
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    public static Reading read(byte[] event) {
        if (event.length > MAX_BYTES) {
            return new Reading.Malformed("sweep event is larger than " + MAX_BYTES + " bytes; the guard's own are a "
                    + "few hundred");
        }
        Map<String, Object> fields;
        try (JsonParser parser = JSON.createParser(event)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Reading.Malformed("sweep event is not a JSON object");
            }
            fields = object(parser, "");
            if (parser.nextToken() != null) {
                return new Reading.Malformed("sweep event has content after its object");
            }
        } catch (JsonProcessingException e) {
            return new Reading.Malformed("sweep event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the sweep event", e);
        } catch (IllegalArgumentException e) {
            return new Reading.Malformed(e.getMessage());
        }
        try {
            return new Reading.Request(request(fields));
        } catch (IllegalArgumentException e) {
            return new Reading.Malformed(e.getMessage());
        }
    }

    private static SweepRequest request(Map<String, Object> fields) {
        String type = text(fields, "detail-type");
        if (!SweepRequest.SOURCE.equals(text(fields, "source"))) {
            throw new IllegalArgumentException("source is '" + fields.get("source") + "', not " + SweepRequest.SOURCE);
        }
        if (!SweepRequest.VERSION.equals(text(fields, "version"))) {
            throw new IllegalArgumentException("version is '" + fields.get("version") + "'; this guard reads version "
                    + SweepRequest.VERSION);
        }
        Instant sweep = time(text(fields, "time"));
        if (type.equals(SWEEP)) {
            onlyFields(fields, SWEEP_FIELDS, "");
            String id = text(fields, "id");
            if (!EXECUTION_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("id is not a schedule execution id (1 to 128 letters, digits, "
                        + "'.', '_', ':' and '-')");
            }
            return new SweepRequest.Scheduled(sweep, id);
        }
        if (type.equals(SLICE)) {
            onlyFields(fields, SLICE_FIELDS, "");
            if (!(fields.get("detail") instanceof Map<?, ?> raw)) {
                throw new IllegalArgumentException("detail is missing or not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> detail = (Map<String, Object>) raw;
            onlyFields(detail, SLICE_DETAIL, "detail.");
            if (!(detail.get("step") instanceof Long step)) {
                throw new IllegalArgumentException("detail.step is missing or not a whole number");
            }
            if (step < 0 || step > SweepRequest.Slice.MAX_STEPS) {
                throw new IllegalArgumentException("detail.step " + step + " is not between 0 and "
                        + SweepRequest.Slice.MAX_STEPS);
            }
            return new SweepRequest.Slice(sweep, AccountRegion.of(text(detail, "account"),
                    text(detail, "region")), step.intValue());
        }
        throw new IllegalArgumentException("detail-type is '" + type + "', neither '" + SWEEP + "' nor '" + SLICE
                + "'");
    }

    /** Fields and values, one level deep (strings, whole numbers, one nested object); duplicates are refused. */
    private static Map<String, Object> object(JsonParser parser, String path) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            Object read = switch (value) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getLongValue();
                case START_OBJECT -> {
                    if (!path.isEmpty()) {
                        throw new IllegalArgumentException(path + name + " is nested too deep");
                    }
                    yield object(parser, name + ".");
                }
                default -> throw new IllegalArgumentException(path + name + " is " + value.asString()
                        + "; a sweep event holds strings, whole numbers and its detail object only");
            };
            if (fields.put(name, read) != null) {
                throw new IllegalArgumentException(path + name + " appears twice");
            }
        }
        return fields;
    }

    private static void onlyFields(Map<String, Object> fields, Set<String> allowed, String path) {
        for (String name : fields.keySet()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(path + name + " is not a field of a sweep event");
            }
        }
        for (String name : allowed) {
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException(path + name + " is missing");
            }
        }
    }

    private static String text(Map<String, Object> fields, String name) {
        if (!(fields.get(name) instanceof String value)) {
            throw new IllegalArgumentException(name + " is missing or not a string");
        }
        return value;
    }

    private static Instant time(String text) {
        try {
            Instant time = Instant.parse(text);
            if (time.isBefore(Instant.parse("2015-01-01T00:00:00Z"))
                    || time.isAfter(Instant.parse("2200-01-01T00:00:00Z"))) {
                throw new IllegalArgumentException("time '" + text + "' is not a time the sweep could have run");
            }
            return time;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + text + "' is not an ISO-8601 instant");
        }
    }
}
