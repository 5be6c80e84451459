package dev.ecrdigestguard.alert.slack;

import dev.ecrdigestguard.json.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One incoming-webhook payload: Block Kit {@code blocks} (plain maps and lists) and the plain {@code text} Slack shows
 * in notifications and where blocks can't be drawn. Written with the streaming {@link JsonText}, as the SNS alert is:
 * both run on the function's cold alert path, where the data-binding mapper would cost more than the rest.
 */
public record SlackMessage(String text, List<Map<String, Object>> blocks) {

    public SlackMessage {
        Objects.requireNonNull(text);
        blocks = List.copyOf(blocks);
    }

    public String toJson() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", text);
        payload.put("blocks", blocks);
        return JsonText.write(payload);
    }
}
