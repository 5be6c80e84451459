package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads and writes manifest and config JSON as a tree, so fields this program doesn't know survive a rewrite in
 * their original order. Numbers are kept exact (big decimals), and duplicate keys are refused: a registry and a
 * client could each pick a different one, and we would sign off on content nobody agreed on.
 */
final class ManifestJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private ManifestJson() {
    }

    /** The JSON object in {@code bytes}; {@code what} names the document in the refusal when it isn't one. */
    static ObjectNode parseObject(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new NotRewritableException(what + " is not valid JSON ("
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()) + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new NotRewritableException(what + " is not a JSON object");
        }
        return object;
    }

    static byte[] write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree read by Jackson can always be written back", e);
        }
    }

    /** The object under {@code field}, created at the end of {@code parent} when absent or null. */
    static ObjectNode objectField(ObjectNode parent, String field, String where) {
        JsonNode existing = parent.get(field);
        if (existing == null || existing.isNull()) {
            return parent.putObject(field);
        }
        if (!(existing instanceof ObjectNode object)) {
            throw new NotRewritableException(where + "." + field + " is not a JSON object");
        }
        return object;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
