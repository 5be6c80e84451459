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
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.Pushes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnsAlertRendererTest {

    private final SnsAlertRenderer renderer = new SnsAlertRenderer();

    @Test
    void render_givesABodyPerProtocol() throws Exception {
        SnsAlert alert = renderer.render(report(REPOSITORY, Tag.of("tag-1-253-0"), List.of(Tag.of("tag-1-252-0"))));

        JsonNode message = Json.mapper().readTree(alert.message());
        assertThat(message.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("default", "email", "https", "sqs", "lambda");
        assertThat(message.get("default").asText())
                .contains("shop-api:tag-1-253-0").contains("tag-1-252-0").contains("lifecycle")
                .contains("What to do").contains("re-tag");
        assertThat(message.get("email").asText()).isEqualTo(message.get("default").asText());
        JsonNode machine = Json.mapper().readTree(message.get("sqs").asText());
        assertThat(machine.at("/findings/0/kind").asText()).isEqualTo("SHARED_DIGEST");
        assertThat(machine.at("/findings/0/otherProductionTags/0").asText()).isEqualTo("tag-1-252-0");
        assertThat(machine.get("imageDigest").asText()).isEqualTo(DIGEST.value());
        assertThat(message.get("lambda").asText()).isEqualTo(message.get("sqs").asText());
    }

    @Test
    void render_httpsBody_isAChatbotCustomNotification() throws Exception {
        SnsAlert alert = renderer.render(report(REPOSITORY, Tag.of("tag-1-253-0"), List.of(Tag.of("tag-1-252-0"))));

        JsonNode chatbot = Json.mapper().readTree(Json.mapper().readTree(alert.message()).get("https").asText());
        assertThat(chatbot.get("version").asText()).isEqualTo("1.0");
        assertThat(chatbot.get("source").asText()).isEqualTo("custom");
        assertThat(chatbot.at("/content/textType").asText()).isEqualTo("client-markdown");
        assertThat(chatbot.at("/content/title").asText()).contains("tag-1-253-0 shares its digest with tag-1-252-0");
        assertThat(chatbot.at("/content/description").asText()).contains("SHARED_DIGEST").contains("lifecycle");
        assertThat(chatbot.at("/content/nextSteps")).hasSize(3);
        assertThat(chatbot.at("/content/keywords").toString()).contains("shop-api").contains("SHARED_DIGEST");
        assertThat(chatbot.at("/metadata/threadId").asText()).isEqualTo("shop-api@" + DIGEST.shortForm());
        assertThat(chatbot.at("/metadata/additionalContext/account").asText()).isEqualTo("123456789012");
        assertThat(chatbot.at("/metadata/additionalContext/region").asText()).isEqualTo("eu-west-1");
        assertThat(chatbot.at("/metadata/additionalContext/repository").asText()).isEqualTo("shop-api");
        assertThat(chatbot.at("/metadata/additionalContext/tag").asText()).isEqualTo("tag-1-253-0");
        assertThat(chatbot.at("/metadata/additionalContext/imageDigest").asText()).isEqualTo(DIGEST.value());
        assertThat(chatbot.at("/metadata/additionalContext/otherProductionTags").asText()).isEqualTo("tag-1-252-0");
        assertThat(chatbot.at("/metadata/additionalContext/imagePushedAt").asText()).isEqualTo(PUSHED_AT.toString());
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
        assertThat(chatbot.at("/metadata/additionalContext/otherProductionTags").asText())
                .endsWith("(+" + (10_000 - shown) + " more)");
        assertThat(message.get("default").asText()).contains("more");
    }

    @Test
    void render_refusesAReportWithoutFindings() {
        GuardReport clean = new GuardReport(Pushes.push("tag-1"), List.of(), "clean");

        assertThatIllegalArgumentException().isThrownBy(() -> renderer.render(clean));
    }

    private static GuardReport report(RepositoryName repository, Tag tag, List<Tag> others) {
        SharedDigestFinding finding = new SharedDigestFinding(repository, tag, DIGEST, others, others.size() + 1,
                PUSHED_AT, EVENT_TIME);
        return new GuardReport(Pushes.push(repository, tag), List.of(finding), "1 finding");
    }
}
