package dev.ecrdigestguard.alert.sns;

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

    public SnsAlert {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(message);
        attributes = Map.copyOf(attributes);
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
