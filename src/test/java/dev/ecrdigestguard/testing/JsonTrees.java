package dev.ecrdigestguard.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.json.Json;

/** Builds and writes JSON trees in tests (the program itself writes JSON with the streaming {@code JsonText}). */
public final class JsonTrees {

    private JsonTrees() {
    }

    public static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    public static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
