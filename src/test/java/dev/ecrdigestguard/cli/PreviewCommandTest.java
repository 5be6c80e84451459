package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

        // THEN
        assertThat(run.exitCode()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("images")).hasSize(3);
        JsonNode newest = result.get("images").get(0);
        assertThat(newest.get("imageDigest").asText()).startsWith("sha256:2222");
        assertThat(newest.get("imageTags").get(0).asText()).isEqualTo("tag-1-1-0");
        assertThat(newest.get("action").asText()).isEqualTo("KEEP");
        assertThat(newest.get("rulePriority").asInt()).isEqualTo(1);
        assertThat(newest.get("rank").asInt()).isEqualTo(1);
        assertThat(newest.get("headroom").asInt()).isZero();
        JsonNode older = result.get("images").get(1);
        assertThat(older.get("action").asText()).isEqualTo("EXPIRE");
        assertThat(older.get("rulePriority").asInt()).isEqualTo(1);
        JsonNode untagged = result.get("images").get(2);
        assertThat(untagged.get("action").asText()).isEqualTo("EXPIRE");
        assertThat(untagged.get("rulePriority").asInt()).isEqualTo(2);
        assertThat(untagged.get("rank").isNull()).isTrue();
    }

    @Test
    void preview_printsATableAndSummary_asText() throws Exception {
        Path images = write("images.json", IMAGES);
        Path policy = write("policy.json", POLICY);

        Run run = run("--images", images.toString(), "--policy", policy.toString(), "--now", "2024-06-20T00:00:00Z");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("KEEP       sha256:222222222222")
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
