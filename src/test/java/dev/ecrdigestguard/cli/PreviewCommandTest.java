package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleEngine;
import dev.ecrdigestguard.lifecycle.LifecycleEvaluation;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PreviewCommandTest {

    static final String IMAGES = """
            {"imageDetails":[
              {"imageDigest":"sha256:1111111111111111111111111111111111111111111111111111111111111111",
               "imageTags":["tag-1-0-0"],"imagePushedAt":"2024-06-01T00:00:00+00:00"},
              {"imageDigest":"sha256:2222222222222222222222222222222222222222222222222222222222222222",
               "imageTags":["tag-1-1-0"],"imagePushedAt":"2024-06-10T00:00:00+00:00"},
              {"imageDigest":"sha256:3333333333333333333333333333333333333333333333333333333333333333",
               "imagePushedAt":"2024-05-01T00:00:00+00:00"}]}
            """;

    static final String POLICY = """
            {"rules":[
              {"rulePriority":1,"description":"Keep last 1 release","selection":{"tagStatus":"tagged",
               "tagPrefixList":["tag"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
              {"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days",
               "countNumber":14},"action":{"type":"expire"}}]}
            """;

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new PreviewCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void preview_printsOneJsonObject_withActionRuleAndStandingPerImage() throws Exception {
        // GIVEN
        Path images = write("images.json", IMAGES);
        Path policy = write("policy.json", POLICY);

        // WHEN
        Run run = run("--images", images.toString(), "--policy", policy.toString(), "--now", "2024-06-20T00:00:00Z",
                "--format", "json");

        // THEN images an age rule decides come first, then those of the count rule, youngest first
        assertThat(run.exitCode()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("images")).hasSize(3);
        JsonNode untagged = result.get("images").get(0);
        assertThat(untagged.get("imageDigest").asText()).startsWith("sha256:3333");
        assertThat(untagged.get("action").asText()).isEqualTo("EXPIRE");
        assertThat(untagged.get("rulePriority").asInt()).isEqualTo(2);
        assertThat(untagged.get("rank").isNull()).isTrue();
        assertThat(untagged.get("imagePushedAt").asText()).isEqualTo("2024-05-01T00:00:00Z");
        JsonNode newest = result.get("images").get(1);
        assertThat(newest.get("imageDigest").asText()).startsWith("sha256:2222");
        assertThat(newest.get("imageTags").get(0).asText()).isEqualTo("tag-1-1-0");
        assertThat(newest.get("action").asText()).isEqualTo("KEEP");
        assertThat(newest.get("rulePriority").asInt()).isEqualTo(1);
        assertThat(newest.get("ruleDescription").asText()).isEqualTo("Keep last 1 release");
        assertThat(newest.get("rank").asInt()).isEqualTo(1);
        assertThat(newest.get("countNumber").asInt()).isEqualTo(1);
        assertThat(newest.get("headroom").asInt()).isZero();
        assertThat(newest.get("storageClass").asText()).isEqualTo("STANDARD");
        JsonNode older = result.get("images").get(2);
        assertThat(older.get("imageDigest").asText()).startsWith("sha256:1111");
        assertThat(older.get("action").asText()).isEqualTo("EXPIRE");
        assertThat(older.get("rulePriority").asInt()).isEqualTo(1);
        assertThat(older.get("rank").asInt()).isEqualTo(2);
        assertThat(older.get("headroom").asInt()).isEqualTo(-1);
    }

    @Test
    void preview_givesEachImageTheDecisionOfTheEngine_inTheDocumentedOrder() throws Exception {
        // GIVEN the bundled snapshot: two count rules' worth of images and images no rule selects
        Path images = SampleEvents.SNAPSHOT.resolve("describe-images.json");
        Path policy = SampleEvents.SNAPSHOT.resolve("lifecycle-policy.json");
        Instant at = Instant.parse("2022-12-22T09:41:12Z");
        LifecycleEvaluation expected = LifecycleEngine.evaluate(LifecyclePolicyFile.read(policy),
                DescribeImagesReader.readAll(images), at);

        // WHEN
        Run run = run("--images", images.toString(), "--policy", policy.toString(), "--now", at.toString(),
                "--format", "json");

        // THEN every image once, with evaluate's decision; count-rule images after the others, by rule and rank
        JsonNode printed = new ObjectMapper().readTree(run.out()).get("images");
        assertThat(printed).hasSize(expected.decisions().size());
        List<String> order = new ArrayList<>();
        for (JsonNode image : printed) {
            ImageDecision decision = expected.decisionFor(Digest.of(image.get("imageDigest").asText())).orElseThrow();
            assertThat(image.get("action").asText()).isEqualTo(decision.action().name());
            assertThat(image.get("rank").asInt()).isEqualTo(decision.rank());
            order.add(decision.standing().isPresent()
                    ? String.format("2 count rule %03d, rank %04d", decision.rulePriority().getAsInt(), decision.rank())
                    : "1 other");
        }
        assertThat(order).isSorted();
    }

    @Test
    void preview_exitsWith2_andLeavesTheJsonIncomplete_whenTheImagesFileTurnsBadHalfWay() throws Exception {
        // GIVEN an image an age rule decides (printed at once), then an image with a timestamp past 9999
        String images = IMAGES.replace("\"imagePushedAt\":\"2024-05-01T00:00:00+00:00\"}]}",
                "\"imagePushedAt\":\"2024-05-01T00:00:00+00:00\"},\n  {\"imageDigest\":\"sha256:" + "4".repeat(64)
                        + "\",\"imagePushedAt\":\"+10000-01-01T00:00:00Z\"}]}");
        Path policy = write("policy.json", POLICY);

        // WHEN
        Run run = run("--images", write("images.json", images).toString(), "--policy", policy.toString(),
                "--now", "2024-06-20T00:00:00Z", "--format", "json");

        // THEN
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("images.json: describe-images output, line 8")
                .contains("imagePushedAt +10000-01-01T00:00:00Z is outside the supported range")
                .hasLineCount(1);
        assertThat(run.out()).contains("sha256:3333");
        assertThatThrownBy(() -> new ObjectMapper().readTree(run.out())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void preview_exitsWith2_forANowOutsideTheSupportedRange() throws Exception {
        Run run = run("--images", write("i.json", IMAGES).toString(), "--policy", write("p.json", POLICY).toString(),
                "--now", "+999999999-12-31T23:59:59Z");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--now +999999999-12-31T23:59:59Z is outside the supported range");
    }

    @Test
    void preview_printsATableAndSummary_asText() throws Exception {
        Path images = write("images.json", IMAGES);
        Path policy = write("policy.json", POLICY);

        Run run = run("--images", images.toString(), "--policy", policy.toString(), "--now", "2024-06-20T00:00:00Z");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("EXPIRE     sha256:333333333333  2024-05-01T00:00:00Z  <untagged>  rule 2")
                .contains("KEEP       sha256:222222222222  2024-06-10T00:00:00Z  tag-1-1-0  rule 1")
                .contains("rule 1 'Keep last 1 release', rank 1 of 1, headroom 0")
                .contains("3 images as of 2024-06-20T00:00:00Z: 2 expire, 0 transition to archive, 1 kept");
    }

    @Test
    void preview_exitsWith2AndTheReason_whenEcrWouldRejectThePolicy() throws Exception {
        // GIVEN an untagged rule that lists prefixes
        Path images = write("images.json", IMAGES);
        Path policy = write("policy.json", POLICY.replace("\"tagged\"", "\"untagged\""));

        // WHEN
        Run run = run("--images", images.toString(), "--policy", policy.toString());

        // THEN
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("rule 1: selection.tagPrefixList must be omitted when tagStatus is untagged");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void preview_exitsWith2_forAMissingImagesFile() throws Exception {
        Path policy = write("policy.json", POLICY);

        Run run = run("--images", dir.resolve("missing.json").toString(), "--policy", policy.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing.json");
    }

    @Test
    void preview_exitsWith2_forAnUnreadableNow() throws Exception {
        Run run = run("--images", write("i.json", IMAGES).toString(), "--policy", write("p.json", POLICY).toString(),
                "--now", "yesterday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--now 'yesterday' is not an ISO-8601 instant");
    }
}
