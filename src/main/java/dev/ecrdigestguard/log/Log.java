package dev.ecrdigestguard.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.text.Echo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logging: one JSON object per line on standard output, which CloudWatch Logs and Logs Insights read as
 * fields. Every line carries the context of the event being handled (event id, repository, tag, digest) so one
 * query finds everything about a push.
 *
 * <p>Deliberately tiny: a logging framework costs more cold-start time than the whole non-production path.
 * Never pass secrets here; there is no redaction because nothing secret is ever handed to it. Every text goes through
 * {@link Echo} on its way out: values are validated where they enter, but an exception message can carry whatever a
 * server answered, and one line must stay one readable line of bounded size.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ThreadLocal<Map<String, String>> CONTEXT = ThreadLocal.withInitial(LinkedHashMap::new);
    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    /** Redirects output (the command line logs to stderr so stdout stays the command's result). */
    public static void setOutput(PrintStream stream) {
        out = stream;
    }

    /** Adds a field to every following line of this thread, until {@link #clearContext()}. */
    public static void putContext(String key, String value) {
        if (value != null) {
            CONTEXT.get().put(key, value);
        }
    }

    /** The fields every line of this thread carries now, in the order they were added. */
    public static Map<String, String> context() {
        return new LinkedHashMap<>(CONTEXT.get());
    }

    public static void clearContext() {
        CONTEXT.get().clear();
    }

    public static boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public static void debug(String message, Object... keyValues) {
        write(Level.DEBUG, message, null, keyValues);
    }

    public static void info(String message, Object... keyValues) {
        write(Level.INFO, message, null, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write(Level.WARN, message, null, keyValues);
    }

    public static void error(String message, Throwable error, Object... keyValues) {
        write(Level.ERROR, message, error, keyValues);
    }

    /**
     * Writes a line that is already a JSON document (an embedded-metric-format record), whatever the level: metrics
     * must not vanish with debug lines. It has no {@code level} member, so Lambda's log-level filter counts it as INFO.
     */
    public static void raw(String jsonLine) {
        out.println(jsonLine);
    }

    private static void write(Level level, String message, Throwable error, Object... keyValues) {
        if (!enabled(level)) {
            return;
        }
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.now().toString());
            json.writeStringField("level", level.name());
            json.writeStringField("message", shown(message));
            for (Map.Entry<String, String> field : CONTEXT.get().entrySet()) {
                json.writeStringField(field.getKey(), shown(field.getValue()));
            }
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                writeField(json, String.valueOf(keyValues[i]), keyValues[i + 1]);
            }
            if (error != null) {
                json.writeStringField("errorType", error.getClass().getName());
                json.writeStringField("errorMessage", shown(error.getMessage()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter cannot fail", e);
        }
        out.println(line);
    }

    private static void writeField(JsonGenerator json, String key, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(key);
        } else if (value instanceof Number number) {
            json.writeFieldName(key);
            json.writeNumber(number.toString());
        } else if (value instanceof Boolean bool) {
            json.writeBooleanField(key, bool);
        } else {
            json.writeStringField(key, shown(String.valueOf(value)));
        }
    }

    private static String shown(String text) {
        return Echo.of(text, Echo.LINE);
    }
}
