package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.CountStanding;
import dev.ecrdigestguard.lifecycle.LifecycleRule;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * JSON fields the lifecycle commands share, written by {@code audit}; {@code preview} writes the same fields by hand
 * for speed, and {@code PreviewJsonProperties} holds its bytes to these.
 */
final class LifecycleJson {

    private LifecycleJson() {
    }

    static void tags(JsonGenerator json, String field, List<Tag> tags) throws IOException {
        json.writeArrayFieldStart(field);
        for (int t = 0; t < tags.size(); t++) {
            json.writeString(tags.get(t).value());
        }
        json.writeEndArray();
    }

    /** {@code rulePriority}, {@code ruleDescription}, {@code rank}, {@code countNumber}, {@code headroom}; null when absent. */
    static void ruleAndStanding(JsonGenerator json, Optional<LifecycleRule> rule, Optional<CountStanding> standing)
            throws IOException {
        if (rule.isPresent()) {
            json.writeNumberField("rulePriority", rule.get().rulePriority());
            json.writeStringField("ruleDescription", rule.get().description().orElse(null));
        } else {
            json.writeNullField("rulePriority");
            json.writeNullField("ruleDescription");
        }
        if (standing.isPresent()) {
            json.writeNumberField("rank", standing.get().rank());
            json.writeNumberField("countNumber", standing.get().countNumber());
            json.writeNumberField("headroom", standing.get().headroom());
        } else {
            json.writeNullField("rank");
            json.writeNullField("countNumber");
            json.writeNullField("headroom");
        }
    }

    static String standingText(Optional<LifecycleRule> rule, Optional<CountStanding> standing) {
        if (rule.isEmpty()) {
            return "no rule selects it";
        }
        String text = rule.get().label();
        if (standing.isPresent()) {
            text += ", rank " + standing.get().rank() + " of " + standing.get().countNumber()
                    + (standing.get().withinCount() ? ", headroom " + standing.get().headroom() : "");
        }
        return text;
    }
}
