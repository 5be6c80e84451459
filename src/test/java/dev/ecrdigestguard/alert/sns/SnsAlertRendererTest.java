package dev.ecrdigestguard.alert.sns;

import static dev.ecrdigestguard.testing.Pushes.DIGEST;
import static dev.ecrdigestguard.testing.Pushes.EVENT_TIME;
import static dev.ecrdigestguard.testing.Pushes.PUSHED_AT;
import static dev.ecrdigestguard.testing.Pushes.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.Pushes;
import dev.ecrdigestguard.testing.Reports;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnsAlertRendererTest {

    private final SnsAlertRenderer renderer = new SnsAlertRenderer(ProductionTags.parse("tag-*"));

    @Test
    void render_givesABodyPerProtocol() throws Exception {
        SnsAlert alert = renderer.render(report(REPOSITORY, Tag.of("tag-1-253-0"), List.of(Tag.of("tag-1-252-0"))));

        JsonNode message = Json.mapper().readTree(alert.message());
        assertThat(message.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("default", "email", "https", "sqs", "lambda");
        assertThat(message.get("default").asText())
                .contains("shop-api:tag-1-253-0").contains("tag-1-252-0").contains("lifecycle")
                .contains("Do now:").contains(" retag ");
        assertThat(message.get("email").asText()).isEqualTo(message.get("default").asText());
        JsonNode machine = Json.mapper().readTree(message.get("sqs").asText());
        assertThat(machine.at("/findings/0/kind").asText()).isEqualTo("SHARED_DIGEST");
        assertThat(machine.at("/findings/0/otherProductionTags/0").asText()).isEqualTo("tag-1-252-0");
        assertThat(machine.get("imageDigest").asText()).isEqualTo(DIGEST.value());
        assertThat(machine.at("/actions/doNow/command").asText()).startsWith("java -jar ecr-digest-guard.jar retag ");
        assertThat(machine.at("/actions/confirm/command").asText()).startsWith("java -jar ecr-digest-guard.jar check ");
        assertThat(message.get("lambda").asText()).isEqualTo(message.get("sqs").asText());
    }

    @Test
    void plainText_opensWithTheHeadline_thenDoNowWithItsCommand_thenConfirm_andExplainsAfter() throws Exception {
        String text = bodies(Reports.writeUp()).get("default").asText();

        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("CRITICAL: tag-1-253-0 in shop-api will be deleted by lifecycle rule 1 within"
                + " 24 hours");
        assertThat(lines.get(2)).startsWith("Do now: Give tag-1-253-0 a digest of its own");
        assertThat(lines.get(3)).isEqualTo("    java -jar ecr-digest-guard.jar retag --region eu-west-1 --repository"
                + " shop-api --tag tag-1-253-0 --production-tags 'tag-*'");
        assertThat(lines.get(5)).startsWith("Confirm: Run the guard on tag-1-253-0 again");
        assertThat(lines.get(6)).isEqualTo("    java -jar ecr-digest-guard.jar check --region eu-west-1 --repository"
                + " shop-api --tag tag-1-253-0 --production-tags 'tag-*'");
        assertThat(text).containsOnlyOnce("digest of its own").containsOnlyOnce("Raise the countNumber")
                .containsOnlyOnce("Image:   https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/")
                .containsOnlyOnce("Runbook: https://").containsOnlyOnce("docs/operations.md#");
        assertThat(text.indexOf("Why (3 findings")).isGreaterThan(text.indexOf("Runbook:"));
        assertThat(text.indexOf("ECR applies a lifecycle policy")).isGreaterThan(text.indexOf("Why (3 findings"));
    }

    @Test
    void render_httpsBody_isAChatbotCustomNotification() throws Exception {
        SnsAlert alert = renderer.render(report(REPOSITORY, Tag.of("tag-1-253-0"), List.of(Tag.of("tag-1-252-0"))));

        JsonNode chatbot = Json.mapper().readTree(Json.mapper().readTree(alert.message()).get("https").asText());
        assertThat(chatbot.get("version").asText()).isEqualTo("1.0");
        assertThat(chatbot.get("source").asText()).isEqualTo("custom");
        assertThat(chatbot.at("/content/textType").asText()).isEqualTo("client-markdown");
        assertThat(chatbot.at("/content/title").asText()).contains("tag-1-253-0 shares its digest with tag-1-252-0");
        assertThat(chatbot.at("/content/keywords").toString()).contains("shop-api").contains("SHARED_DIGEST");
        assertThat(chatbot.at("/metadata/threadId").asText()).isEqualTo("shop-api@" + DIGEST.shortForm());
        assertThat(chatbot.at("/metadata/additionalContext/account").asText()).isEqualTo("123456789012");
        assertThat(chatbot.at("/metadata/additionalContext/region").asText()).isEqualTo("eu-west-1");
        assertThat(chatbot.at("/metadata/additionalContext/repository").asText()).isEqualTo("shop-api");
        assertThat(chatbot.at("/metadata/additionalContext/tag").asText()).isEqualTo("tag-1-253-0");
        assertThat(chatbot.at("/metadata/additionalContext/imageDigest").asText()).isEqualTo(DIGEST.value());
        assertThat(chatbot.at("/metadata/additionalContext/SHARED_DIGEST").asText())
                .contains("otherProductionTags=tag-1-252-0").contains("imagePushedAt=" + PUSHED_AT);
    }

    @Test
    void chatbot_isShortForAPhone_commandsInCode_eachStepOnce_andLinksTheConsoleAndRunbook() throws Exception {
        JsonNode chatbot = Json.mapper().readTree(bodies(Reports.writeUp()).get("https").asText());

        String description = chatbot.at("/content/description").asText();
        assertThat(description).startsWith("*Do now:* Give tag-1-253-0 a digest of its own")
                .contains("```\njava -jar ecr-digest-guard.jar retag --region eu-west-1 --repository shop-api --tag"
                        + " tag-1-253-0 --production-tags 'tag-*'\n```")
                .contains("*Confirm:* `java -jar ecr-digest-guard.jar check ")
                .contains("Image: https://eu-west-1.console.aws.amazon.com/ecr/").contains("Runbook: https://")
                .doesNotContain("ECR applies a lifecycle policy");
        assertThat(description.length()).isLessThan(1_500);
        assertThat(chatbot.at("/content/nextSteps")).hasSize(3)
                .extracting(JsonNode::asText).doesNotHaveDuplicates().noneMatch(step -> step.contains("digest of its own"));
    }

    @Test
    void chatbot_keepsEachFindingsContextApart() throws Exception {
        JsonNode context = Json.mapper().readTree(bodies(Reports.writeUp()).get("https").asText())
                .at("/metadata/additionalContext");

        assertThat(context.get("LIFECYCLE_EXPIRY").asText()).contains("rank=6").contains("action=EXPIRE")
                .doesNotContain("outrankedBy");
        assertThat(context.get("LIFECYCLE_OUTRANKED").asText()).contains("outrankedBy=5").contains("headroom=-1")
                .doesNotContain("action=");
        assertThat(context.get("SHARED_DIGEST").asText()).contains("otherProductionTags=tag-1-252-0")
                .doesNotContain("rank=");
        GuardReport twice = Reports.withFindings(Reports.collision(), 2);
        JsonNode both = Json.mapper().readTree(bodies(twice).get("https").asText()).at("/metadata/additionalContext");
        assertThat(both.get("SHARED_DIGEST").asText()).contains("tag-0-0-0");
        assertThat(both.get("SHARED_DIGEST 2").asText()).contains("tag-0-1-0");
    }

    @Test
    void hostileRuleDescription_neitherPingsNorLinksNorBreaksLines_inAnyBody() throws Exception {
        JsonNode bodies = bodies(Reports.writeUp("<!channel> <https://evil.example|click>\u001b[2J\nFORGED line"));

        String chatbot = bodies.get("https").asText();
        JsonNode notification = Json.mapper().readTree(chatbot);
        List<String> shown = new java.util.ArrayList<>(List.of(notification.at("/content/title").asText(),
                notification.at("/content/description").asText(), notification.at("/metadata/summary").asText()));
        notification.at("/content/nextSteps").forEach(step -> shown.add(step.asText()));
        notification.at("/metadata/additionalContext").forEach(value -> shown.add(value.asText()));
        assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain("<", ">", "\u001b"));
        assertThat(String.join("\n", shown)).contains("\u2039!channel\u203a");
        String plain = bodies.get("default").asText();
        assertThat(plain).doesNotContain("\u001b").doesNotContain("\nFORGED");
    }

    @Test
    void render_attributes_forSubscriptionFilterPolicies() {
        SnsAlert alert = renderer.render(report(REPOSITORY, Tag.of("tag-1-253-0"), List.of(Tag.of("tag-1-252-0"))));

        assertThat(alert.attributes()).containsOnlyKeys("repository", "findingKind", "severity", "account", "region");
        assertThat(alert.attributes().get("repository")).isEqualTo(new SnsAlert.Attribute("String", "shop-api"));
        assertThat(alert.attributes().get("account")).isEqualTo(new SnsAlert.Attribute("String", "123456789012"));
        assertThat(alert.attributes().get("region")).isEqualTo(new SnsAlert.Attribute("String", "eu-west-1"));
        assertThat(alert.attributes().get("findingKind"))
                .isEqualTo(new SnsAlert.Attribute("String.Array", "[\"SHARED_DIGEST\"]"));
        assertThat(alert.attributes().get("severity")).isEqualTo(new SnsAlert.Attribute("String", "WARNING"));
    }

    @Test
    void subject_staysUnder100AsciiCharacters_withTheLongestRepositoryAndTag() {
        RepositoryName longest = RepositoryName.of(("a".repeat(63) + "/").repeat(4).substring(0, 255) + "b");
        Tag longestTag = Tag.of("t".repeat(300));

        SnsAlert alert = renderer.render(report(longest, longestTag, List.of(Tag.of("t".repeat(299)))));

        assertThat(longest.value()).hasSize(256);
        assertThat(alert.subject()).hasSizeLessThan(100).doesNotContain("\n", "\r")
                .startsWith("[ecr-digest-guard] WARNING SHARED_DIGEST: ").endsWith("...");
        assertThat(alert.subject().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void render_cutsLongTagLists_withACount_toStayUnderTheSnsLimit() throws Exception {
        List<Tag> others = IntStream.range(0, 10_000)
                .mapToObj(i -> Tag.of("tag-" + i + "-" + "x".repeat(40))).toList();

        SnsAlert alert = renderer.render(report(REPOSITORY, Tag.of("tag-new"), others));

        assertThat(alert.sizeInBytes()).isLessThan(256 * 1024);
        assertThat(alert.message().getBytes(StandardCharsets.UTF_8).length).isLessThan(256 * 1024);
        JsonNode message = Json.mapper().readTree(alert.message());
        JsonNode machine = Json.mapper().readTree(message.get("sqs").asText());
        int shown = machine.at("/findings/0/otherProductionTags").size();
        assertThat(shown).isLessThan(10_000);
        assertThat(machine.at("/findings/0/otherProductionTagsOmitted").asInt()).isEqualTo(10_000 - shown);
        JsonNode chatbot = Json.mapper().readTree(message.get("https").asText());
        assertThat(chatbot.at("/metadata/additionalContext/SHARED_DIGEST").asText()).contains(" more)");
        assertThat(message.get("default").asText()).contains("more");
    }

    @Test
    void render_refusesAReportWithoutFindings() {
        GuardReport clean = new GuardReport(Pushes.push("tag-1"), List.of(), "clean");

        assertThatIllegalArgumentException().isThrownBy(() -> renderer.render(clean));
    }

    private JsonNode bodies(GuardReport report) throws Exception {
        return Json.mapper().readTree(renderer.render(report).message());
    }

    private static GuardReport report(RepositoryName repository, Tag tag, List<Tag> others) {
        SharedDigestFinding finding = new SharedDigestFinding(repository, tag, DIGEST, others, others.size() + 1,
                PUSHED_AT, EVENT_TIME);
        return new GuardReport(Pushes.push(repository, tag), List.of(finding), "1 finding");
    }

    @Test
    void render_saysWhatTheGuardCouldNotJudge_inEveryBodyForPeople() throws Exception {
        // GIVEN a report whose lifecycle judgement was cut short
        GuardReport base = Reports.collision();
        GuardReport report = new GuardReport(base.event(), base.findings(), base.summary(), List.of(
                "the lifecycle policy was not evaluated: reading the repository's images (2000 so far) did not finish"
                        + " in the time the function has; run `audit` on shop-api"));

        // WHEN
        JsonNode message = Json.mapper().readTree(renderer.render(report).message());

        // THEN e-mail and Chatbot both say so
        assertThat(message.get("default").asText()).contains("Not checked:\n  - the lifecycle policy was not"
                + " evaluated: reading the repository's images (2000 so far)");
        assertThat(Json.mapper().readTree(message.get("https").asText()).at("/content/description").asText())
                .contains("*Not checked:* the lifecycle policy was not evaluated");
    }
}
