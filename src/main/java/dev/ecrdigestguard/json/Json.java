package dev.ecrdigestguard.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one data-binding mapper of the program, built on first use: the Lambda's non-production path never needs it,
 * so it isn't loaded there.
 */
public final class Json {

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    public static ObjectNode object() {
        return Holder.MAPPER.createObjectNode();
    }

    /** Compact JSON text of a tree or of plain maps, lists, strings and numbers. */
    public static String write(Object value) {
        try {
            return Holder.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value is not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Indented JSON text, for people reading command output. */
    public static String writePretty(Object value) {
        try {
            return Holder.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value is not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
