package dev.ecrdigestguard.alert.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.json.Json;
import java.util.Objects;

/**
 * One incoming-webhook payload: Block Kit {@code blocks} and the plain {@code text} Slack shows in notifications and
 * where blocks can't be drawn.
 */
public record SlackMessage(String text, ArrayNode blocks) {

    public SlackMessage {
        Objects.requireNonNull(text);
        Objects.requireNonNull(blocks);
    }

    public String toJson() {
        ObjectNode payload = Json.object();
        payload.put("text", text);
        payload.set("blocks", blocks);
        return Json.write(payload);
    }
}
