package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.testing.LocalAws;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code preview --repository R} and {@code --against-ecr}, with the real SDK client against a local server answering
 * as ECR does (moto answers the lifecycle policy preview with HTTP 500, so WireMock plays ECR here): the preview
 * started with the policy text that was simulated, polled while in progress, and compared image by image.
 */
class PreviewAgainstEcrTest {

    private static final String POLICY = "{\"rules\":[{\"rulePriority\":1,\"description\":\"Keep last 2 releases\","
            + "\"selection\":{\"tagStatus\":\"tagged\",\"tagPatternList\":[\"v*\"],\"countType\":\"imageCountMoreThan\","
            + "\"countNumber\":2},\"action\":{\"type\":\"expire\"}}]}";
    private static final String V1 = "sha256:" + "1".repeat(64);
    private static final String V2 = "sha256:" + "2".repeat(64);
    private static final String V3 = "sha256:" + "3".repeat(64);

    private LocalAws aws;

    @BeforeEach
    void ecrHoldsThreeReleases() {
        aws = LocalAws.start();
        long now = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
        answer("DescribeImages", Map.of("imageDetails", List.of(
                image(V1, "v1", now - 3 * 3600), image(V2, "v2", now - 2 * 3600), image(V3, "v3", now - 3600))));
        answer("GetLifecyclePolicy", Map.of("repositoryName", "shop-api", "lifecyclePolicyText", POLICY));
        answer("StartLifecyclePolicyPreview", Map.of("repositoryName", "shop-api", "status", "IN_PROGRESS"));
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private static Map<String, Object> image(String digest, String tag, long pushedAt) {
        return Map.of("repositoryName", "shop-api", "imageDigest", digest, "imageTags", List.of(tag),
                "imagePushedAt", pushedAt);
    }

    private static Map<String, Object> expired(String digest, String tag) {
        return Map.of("imageDigest", digest, "imageTags", List.of(tag), "action", Map.of("type", "EXPIRE"),
                "appliedRulePriority", 1);
    }

    private void answer(String operation, Map<String, Object> body) {
        aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + operation))
                .willReturn(json(body)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(Map<String, Object> body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(JsonText.write(body));
    }

    /** ECR's preview: in progress at the first poll, then complete with these results. */
    private void ecrPreviews(List<Map<String, Object>> results) {
        String target = LocalAws.ECR_TARGET + "GetLifecyclePolicyPreview";
        aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(target)).inScenario("preview")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                .willReturn(json(Map.of("repositoryName", "shop-api", "status", "IN_PROGRESS"))));
        aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(target)).inScenario("preview")
                .whenScenarioStateIs("done")
                .willReturn(json(Map.of("repositoryName", "shop-api", "status", "COMPLETE",
                        "previewResults", results))));
    }

    @Test
    void preview_readsTheRepositoryAndPolicyFromEcr() {
        CheckCommandTest.Run run = CheckCommandTest.run("preview", "--region", "eu-west-1", "--repository", "shop-api");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("3 images as of").contains("1 expire").contains("2 kept");
        assertThat(run.out().lines().filter(line -> line.startsWith("EXPIRE")).toList()).singleElement()
                .asString().contains("sha256:111111111111");
    }

    @Test
    void againstEcr_whenEcrAgrees_saysSo_andExitsZero() {
        ecrPreviews(List.of(expired(V1, "v1")));

        CheckCommandTest.Run run = CheckCommandTest.run("preview", "--region", "eu-west-1", "--repository", "shop-api",
                "--against-ecr");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("ECR's preview and this simulation agree on all 3 images of shop-api"
                + " (ECR acts on 1).");
        // ECR previewed the very policy text that was simulated, and was polled until it had finished
        aws.server().verify(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + "StartLifecyclePolicyPreview"))
                .withRequestBody(matchingJsonPath("$.lifecyclePolicyText", equalTo(POLICY))));
        aws.server().verify(2, postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + "GetLifecyclePolicyPreview")));
    }

    @Test
    void againstEcr_listsEveryImageWhereTheAnswersDiffer_andExitsOne() throws Exception {
        ecrPreviews(List.of(expired(V1, "v1"), expired(V2, "v2")));

        CheckCommandTest.Run text = CheckCommandTest.run("preview", "--region", "eu-west-1", "--repository",
                "shop-api", "--against-ecr");

        assertThat(text.status()).isEqualTo(Main.FINDINGS);
        assertThat(text.out()).contains("sha256:222222222222  KEEP                   EXPIRE (rule 1)        v2")
                .doesNotContain("sha256:111111111111")
                .contains("1 of 3 images of shop-api differ between ECR's preview and this simulation");

        aws.server().resetScenarios();
        CheckCommandTest.Run json = CheckCommandTest.run("preview", "--region", "eu-west-1", "--repository",
                "shop-api", "--against-ecr", "--format", "json");
        JsonNode root = json.json();
        assertThat(root.get("agree").asBoolean()).isFalse();
        assertThat(root.get("differences")).singleElement().satisfies(difference -> {
            assertThat(difference.get("imageDigest").asText()).isEqualTo(V2);
            assertThat(difference.get("ours").asText()).isEqualTo("KEEP");
            assertThat(difference.get("ecr").asText()).isEqualTo("EXPIRE (rule 1)");
        });
    }

    @Test
    void againstEcr_givesUpAfterTheTimeout_withOneLine() {
        answer("GetLifecyclePolicyPreview", Map.of("repositoryName", "shop-api", "status", "IN_PROGRESS"));

        CheckCommandTest.Run run = CheckCommandTest.run("preview", "--region", "eu-west-1", "--repository", "shop-api",
                "--against-ecr", "--timeout", "1");

        assertThat(run.status()).isEqualTo(Main.AWS_FAILURE);
        assertThat(run.err().strip()).isEqualTo("preview: ECR's lifecycle policy preview of shop-api was not done"
                + " within 1 s; run again with a longer --timeout");
    }

    @Test
    void againstEcr_needsARepository_andNoNow() {
        assertThat(CheckCommandTest.run("preview", "--images", "events/snapshot/describe-images.json", "--policy",
                "events/snapshot/lifecycle-policy.json", "--against-ecr").err())
                .isEqualTo("preview: --against-ecr compares with ECR's preview of a repository: give --repository"
                        + " instead of files\n");
        assertThat(CheckCommandTest.run("preview", "--repository", "shop-api", "--against-ecr", "--now",
                "2024-01-01T00:00:00Z").err()).contains("drop --now");
    }
}
