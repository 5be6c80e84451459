package dev.ecrdigestguard.alert.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlackMessageRendererTest {

    private final SlackMessageRenderer renderer = new SlackMessageRenderer();

    private JsonNode render(GuardReport report) throws Exception {
        return Json.mapper().readTree(renderer.render(report).toJson());
    }

    /** Every string under a "text" key, at any depth: what Slack shows. */
    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equals("text") && field.getValue().isTextual()) {
                texts.add(field.getValue().asText());
            }
        });
        node.elements().forEachRemaining(child -> texts.addAll(texts(child)));
        return texts;
    }

    @Test
    void render_collision_hasHeaderFieldsStepsAndFallback() throws Exception {
        JsonNode payload = render(Reports.collision());

        JsonNode blocks = payload.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).at("/text/type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).at("/text/text").asText())
                .isEqualTo(":warning: tag-1-253-0 shares its digest with tag-1-252-0 in shop-api");
        JsonNode fields = blocks.get(2).get("fields");
        assertThat(fields).extracting(field -> field.get("text").asText()).containsExactly(
                "*Repository*\nshop-api",
                "*Tag*\ntag-1-253-0",
                "*Digest*\n`sha256:ec1477a7420a`",
                "*Other production tags*\ntag-1-252-0",
                "*Severity*\nWARNING");
        assertThat(texts(payload)).anySatisfy(text -> assertThat(text)
                .startsWith("*Next steps*\n• Give tag-1-253-0 a digest of its own")
                .contains("retag --repository shop-api --tag tag-1-253-0"));
        assertThat(blocks.get(blocks.size() - 1).get("type").asText()).isEqualTo("context");
        assertThat(payload.get("text").asText())
                .isEqualTo("WARNING SHARED_DIGEST: tag-1-253-0 shares its digest with tag-1-252-0 in shop-api");
    }

    @Test
    void render_escapesAmpersandAndAngleBrackets_inEveryValue() throws Exception {
        GuardReport collision = Reports.collision();
        PushEvent hostile = Reports.push("<!channel> & <https://evil.example|click>", "shop-api", "tag-1-253-0");
        GuardReport report = new GuardReport(hostile,
                List.of(Reports.sharedDigest(hostile, List.of("tag-1-252-0"))), collision.summary());

        JsonNode payload = render(report);

        assertThat(texts(payload)).allSatisfy(text -> assertThat(text).doesNotContain("<", ">"));
        assertThat(payload.toString()).contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
    }

    @Test
    void render_keepsEveryTextWithinSlackLimits_forHugeValues() throws Exception {
        String longTag = "tag-" + "9".repeat(296);
        PushEvent event = Reports.push("e-1", "shop-api", longTag);
        List<String> others = IntStream.range(0, 200).mapToObj(i -> "tag-" + i + "-" + "x".repeat(250)).toList();
        GuardReport report = new GuardReport(event, List.of(Reports.sharedDigest(event, others)), "1 finding");

        JsonNode payload = render(report);
        JsonNode blocks = payload.get("blocks");

        assertThat(blocks.get(0).at("/text/text").asText().length()).isLessThanOrEqualTo(150);
        for (JsonNode block : blocks) {
            if (block.get("type").asText().equals("section")) {
                if (block.has("text")) {
                    assertThat(block.at("/text/text").asText().length()).isLessThanOrEqualTo(3000);
                }
                if (block.has("fields")) {
                    assertThat(block.get("fields").size()).isLessThanOrEqualTo(10);
                    block.get("fields").forEach(field ->
                            assertThat(field.get("text").asText().length()).isLessThanOrEqualTo(2000));
                }
            }
        }
        assertThat(payload.get("text").asText().length()).isLessThanOrEqualTo(3000);
    }

    @Test
    void render_manyFindings_staysWithin50Blocks_andSaysHowManyWereLeftOut() throws Exception {
        GuardReport report = Reports.withFindings(Reports.collision(), 40);

        JsonNode payload = render(report);

        assertThat(payload.get("blocks").size()).isLessThanOrEqualTo(50);
        assertThat(texts(payload)).anySatisfy(text -> assertThat(text).startsWith("…and 25 more finding(s)"));
    }

    @Test
    void render_reportWithoutFindings_isRefused() {
        GuardReport clean = new GuardReport(Reports.collision().event(), List.of(), "clean");

        assertThatThrownBy(() -> renderer.render(clean)).isInstanceOf(IllegalArgumentException.class);
    }
}
