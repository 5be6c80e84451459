package dev.ecrdigestguard.alert.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlackMessageRendererTest {

    private final SlackMessageRenderer renderer = new SlackMessageRenderer(ProductionTags.parse("tag-*"));

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
    void render_writeUp_isHeaderDoNowAlsoFoundOptionsAndLinks_inFiveBlocks() throws Exception {
        JsonNode payload = render(Reports.writeUp());

        JsonNode blocks = payload.get("blocks");
        assertThat(blocks).extracting(block -> block.get("type").asText())
                .containsExactly("header", "section", "section", "section", "context");
        assertThat(blocks.get(0).at("/text/text").asText())
                .isEqualTo(":rotating_light: tag-1-253-0 in shop-api will be deleted by lifecycle rule 1 within 24 hours");
        assertThat(blocks.get(1).at("/text/text").asText())
                .startsWith("*Do now:* Give tag-1-253-0 a digest of its own")
                .contains("```java -jar ecr-digest-guard.jar retag --region eu-west-1 --repository shop-api --tag"
                        + " tag-1-253-0 --production-tags 'tag-*'```")
                .contains("*Confirm:* Run the guard on tag-1-253-0 again")
                .contains("```java -jar ecr-digest-guard.jar check --region eu-west-1 --repository shop-api --tag"
                        + " tag-1-253-0 --production-tags 'tag-*'```");
        assertThat(blocks.get(2).at("/text/text").asText()).startsWith("*Also found*\n")
                .contains("SHARED_DIGEST", "LIFECYCLE_OUTRANKED").doesNotContain("LIFECYCLE_EXPIRY");
        assertThat(blocks.get(3).at("/text/text").asText()).startsWith("*Other options*\n")
                .contains("Raise the countNumber of rule 1").doesNotContain("digest of its own");
        assertThat(blocks.get(4).at("/elements/0/text").asText())
                .contains("<https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/123456789012/shop-api/_/"
                        + "image/" + Reports.DIGEST + "/details?region=eu-west-1|Image in the ECR console>")
                .contains("docs/operations.md#an-alert-came-in-what-it-asks-of-you|Runbook>")
                .contains("`shop-api:tag-1-253-0`");
        assertThat(payload.get("text").asText()).startsWith("CRITICAL: tag-1-253-0 in shop-api will be deleted")
                .endsWith("Do now: java -jar ecr-digest-guard.jar retag --region eu-west-1 --repository shop-api"
                        + " --tag tag-1-253-0 --production-tags 'tag-*'");
    }

    @Test
    void render_saysEachSentenceOnce_andStaysShortForAPhone() throws Exception {
        JsonNode payload = render(Reports.writeUp());

        String shown = String.join("\n", texts(payload.get("blocks")));
        assertThat(shown).containsOnlyOnce("will be deleted by lifecycle rule 1 within 24 hours")
                .containsOnlyOnce("digest of its own").doesNotContain("ECR applies a lifecycle policy");
        assertThat(shown.length()).isLessThan(1_800);
    }

    @Test
    void render_aSingleFinding_hasNoAlsoFoundSection() throws Exception {
        JsonNode blocks = render(Reports.collision()).get("blocks");

        assertThat(texts(blocks)).noneMatch(text -> text.startsWith("*Also found*"));
        assertThat(blocks.get(0).at("/text/text").asText())
                .isEqualTo(":warning: tag-1-253-0 shares its digest with tag-1-252-0 in shop-api");
    }

    @Test
    void hostileRuleDescription_isEscaped_andCannotBreakTheLine() throws Exception {
        JsonNode payload = render(Reports.writeUp("<!channel> <https://evil.example|click>\u001b[2J\nFORGED"));

        String shown = String.join("\n", texts(payload));
        assertThat(shown).doesNotContain("<!channel>", "<https://evil", "\u001b").doesNotContain("\nFORGED")
                .contains("&lt;!channel&gt;");
    }

    @Test
    void render_escapesAmpersandAndAngleBrackets_inEveryValue() throws Exception {
        GuardReport collision = Reports.collision();
        PushEvent hostile = Reports.push("<!channel> & <https://evil.example|click>", "shop-api", "tag-1-253-0");
        GuardReport report = new GuardReport(hostile,
                List.of(Reports.sharedDigest(hostile, List.of("tag-1-252-0"))), collision.summary());

        JsonNode payload = render(report);

        // The only markup is the message's own two links; every value is escaped.
        assertThat(texts(payload)).allSatisfy(text -> assertThat(text
                .replaceAll("<https://[^|<>\\s]+\\|(Image in the ECR console|Runbook)>", "")).doesNotContain("<", ">"));
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
    void render_manyFindings_staysAtSixBlocks_andSaysHowManyWereLeftOut() throws Exception {
        GuardReport report = Reports.withFindings(Reports.collision(), 400);

        JsonNode payload = render(report);

        assertThat(payload.get("blocks").size()).isLessThanOrEqualTo(6);
        assertThat(texts(payload)).anySatisfy(text -> assertThat(text).startsWith("*Also found*")
                .containsPattern("\\n…and \\d+ more findings in the e-mail alert and the function's logs$")
                .hasSizeLessThanOrEqualTo(3000));
    }

    @Test
    void render_reportWithoutFindings_isRefused() {
        GuardReport clean = new GuardReport(Reports.collision().event(), List.of(), "clean");

        assertThatThrownBy(() -> renderer.render(clean)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void render_listsWhatTheGuardCouldNotJudge_withTheOtherFindings() throws Exception {
        GuardReport base = Reports.collision();
        GuardReport report = new GuardReport(base.event(), base.findings(), base.summary(),
                List.of("the lifecycle policy of shop-api was not evaluated: rule 1: <!channel>"));

        JsonNode payload = render(report);

        assertThat(payload.get("blocks").size()).isLessThanOrEqualTo(6);
        assertThat(texts(payload)).anySatisfy(text -> assertThat(text).startsWith("*Also found*")
                .contains("• *Not checked:* the lifecycle policy of shop-api was not evaluated: rule 1: &lt;!channel&gt;"));
    }
}
