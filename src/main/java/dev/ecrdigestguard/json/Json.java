package dev.ecrdigestguard.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one data-binding mapper of the program, for reading small documents into trees where a streaming parser would
 * be clumsier (registry answers during a re-tag, a recorded policy). Built on first use: the function's push path
 * never needs it. The program writes JSON with {@link JsonText}, or with a streaming generator for large outputs.
 */
public final class Json {

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }
}
