package dev.ecrdigestguard.alert.sns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One SNS Publish request in plain values: a subject, a {@code MessageStructure=json} message (a JSON object with a
 * body per protocol) and message attributes for subscription filter policies.
 */
public record SnsAlert(String subject, String message, Map<String, Attribute> attributes) {

    /** An SNS message attribute: {@code String}, or {@code String.Array} holding a JSON array of strings. */
    public record Attribute(String dataType, String value) { }

    private static final JsonFactory JSON = new JsonFactory();

    public SnsAlert {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(message);
        attributes = Map.copyOf(attributes);
    }

    /** The {@code default} body of {@link #message()}: the plain text e-mail and most subscribers get. */
    public String defaultBody() {
        try (JsonParser parser = JSON.createParser(message)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("default")) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the rendered message is always JSON", e);
        }
        throw new IllegalStateException("the rendered message always has a default body");
    }

    /** Size as SNS counts it towards its 256 KB limit: message, subject and attribute names, types and values. */
    public int sizeInBytes() {
        int size = message.getBytes(StandardCharsets.UTF_8).length + subject.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, Attribute> entry : attributes.entrySet()) {
            size += entry.getKey().getBytes(StandardCharsets.UTF_8).length
                    + entry.getValue().dataType().length()
                    + entry.getValue().value().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }
}
