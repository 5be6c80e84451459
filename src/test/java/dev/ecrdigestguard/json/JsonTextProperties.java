package dev.ecrdigestguard.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.testing.JsonTrees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The alert path writes JSON with {@link JsonText}; it must write what the data-binding mapper wrote before. */
class JsonTextProperties {

    @Property
    void write_equalsTheMappersOutput_forPlainValues(@ForAll String text, @ForAll int number, @ForAll long big,
                                                     @ForAll boolean flag, @ForAll List<String> list) {
        // GIVEN a finding-like map of plain values, nested
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("text", text);
        inner.put("list", list);
        inner.put("nothing", null);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("number", number);
        value.put("big", big);
        value.put("flag", flag);
        value.put(text, inner);
        value.put("maps", new ArrayList<>(List.of(inner, Map.of())));

        // WHEN both write it THEN the text is the same
        assertThat(JsonText.write(value)).isEqualTo(JsonTrees.write(value));
    }

    @Test
    void write_escapesLikeTheMapper() {
        String awkward = "quote \" backslash \\ newline \n tab \t control \u0001 emoji \uD83D\uDE80 é";
        assertThat(JsonText.write(List.of(awkward, 1.5, 3))).isEqualTo(JsonTrees.write(List.of(awkward, 1.5, 3)));
    }
}
