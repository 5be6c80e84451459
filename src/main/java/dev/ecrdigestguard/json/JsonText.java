package dev.ecrdigestguard.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Compact JSON text of plain values — maps with string keys, lists and other iterables, strings, numbers, booleans
 * and null — written with the streaming generator only. The alert path of the Lambda function uses it instead of
 * {@link Json}: building the data-binding mapper costs a cold start about as much as the rest of the alert.
 * Any other object is written as its {@code toString()}.
 */
public final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** A value that already is JSON text (an SNS message, say): written as it is, not as a string. */
    public record Raw(String json) {
    }

    private JsonText() {
    }

    public static String write(Object value) {
        return write(value, false);
    }

    /** Indented, for people reading command output. */
    public static String writePretty(Object value) {
        return write(value, true);
    }

    private static String write(Object value, boolean pretty) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            write(json, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Raw raw) {
            json.writeRawValue(raw.json());
        } else if (value instanceof CharSequence text) {
            json.writeString(text.toString());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            json.writeNumber(number.toString());
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Iterable<?> iterable) {
            json.writeStartArray();
            for (Object element : iterable) {
                write(json, element);
            }
            json.writeEndArray();
        } else {
            json.writeString(value.toString());
        }
    }
}
