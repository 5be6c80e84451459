package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.ecrdigestguard.testing.LocalAws.ECR_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar as a user runs it, in a JVM with little heap: running out of memory is one line and status 4 (not
 * status 1, "findings", with a stack trace), and a registry that repeats its next-page token is stopped at once
 * instead of filling the heap.
 */
class CommandLineLimitsIT {

    private static final Path JAR = Path.of("target", "ecr-digest-guard.jar");

    @TempDir
    Path work;

    record Run(int status, String out, String stderr, long millis) {

        /** Standard error without the SDK's SLF4J start-up notice (a logging binding is issue 11's business). */
        String err() {
            return String.join("\n", stderr.lines().filter(line -> !line.startsWith("SLF4J(")).toList())
                    + (stderr.isEmpty() ? "" : "\n");
        }
    }

    private Run java(String heap, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heap, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(work.resolve("out.txt").toFile())
                .redirectError(work.resolve("err.txt").toFile());
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ends").isTrue();
        return new Run(process.exitValue(), Files.readString(work.resolve("out.txt")),
                Files.readString(work.resolve("err.txt")), (System.nanoTime() - start) / 1_000_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"preview --format json", "preview --format text", "audit --snapshot"})
    void runningOutOfMemory_isStatus4_inOneLine(String command) throws Exception {
        // GIVEN 400,000 images that a count rule ranks, so every one of them waits for the end: far more than a 24 MB
        // heap holds, whether streamed (preview) or listed (audit)
        Path snapshot = Files.createDirectories(work.resolve("snapshot"));
        Path images = snapshot.resolve("describe-images.json");
        try (BufferedWriter out = Files.newBufferedWriter(images, StandardCharsets.UTF_8)) {
            out.write("{\"imageDetails\":[");
            for (int i = 0; i < 400_000; i++) {
                out.write((i == 0 ? "" : ",") + "{\"imageDigest\":\"sha256:" + String.format("%064x", i)
                        + "\",\"imageTags\":[\"tag-" + i + "\"],\"imagePushedAt\":" + (1_600_000_000 + i) + ".0}");
            }
            out.write("]}");
        }
        Path policy = Files.writeString(snapshot.resolve("lifecycle-policy.json"), "{\"rules\":[{\"rulePriority\":1,"
                + "\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},"
                + "\"action\":{\"type\":\"expire\"}}]}");
        List<String> args = command.startsWith("preview")
                ? List.of("preview", "--images", images.toString(), "--policy", policy.toString(), "--format",
                        command.substring(command.lastIndexOf(' ') + 1))
                : List.of("audit", "--snapshot", snapshot.toString(), "--production-tags", "tag-*");

        // WHEN the command runs in a 24 MB heap
        Run run = java("-Xmx24m", Map.of(), args.toArray(String[]::new));

        // THEN one line says so, with what to do, and the status is 4 (not 1, "findings")
        assertThat(run.status()).isEqualTo(Main.INTERNAL_ERROR);
        assertThat(run.err()).startsWith("ecr-digest-guard: out of memory (Java heap space)").contains("-Xmx")
                .doesNotContain("\tat ", "Exception in thread");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void aLiveAuditOfARegistryRepeatingItsNextToken_stopsAtOnce_inOneLine() throws Exception {
        // GIVEN an ECR that answers every DescribeImages page with 1,000 images and the same next token
        StringBuilder page = new StringBuilder("{\"nextToken\":\"again\",\"imageDetails\":[");
        for (int i = 0; i < 1_000; i++) {
            page.append(i == 0 ? "" : ",").append("{\"imageDigest\":\"sha256:").append(String.format("%064x", i))
                    .append("\",\"imageTags\":[\"tag-").append(i).append("\"],\"imagePushedAt\":1.6E9}");
        }
        page.append("]}");
        WireMockServer ecr = new WireMockServer(options().dynamicPort());
        ecr.start();
        try {
            ecr.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + "DescribeImages"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody(page.toString())));

            Run run = java("-Xmx64m", Map.of("AWS_ENDPOINT_URL", ecr.baseUrl(), "AWS_REGION", "eu-west-1",
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_EC2_METADATA_DISABLED", "true"),
                    "audit", "--repository", "shop-api", "--production-tags", "tag-*");

            assertThat(run.status()).isEqualTo(Main.AWS_FAILURE);
            assertThat(run.err()).startsWith("audit: shop-api: ecr:DescribeImages on repository 'shop-api': the "
                    + "server sent the next-page token 'again' again after 2 pages")
                    .doesNotContain("\tat ", "OutOfMemoryError");
            assertThat(run.err().lines()).hasSize(1);
        } finally {
            ecr.stop();
        }
    }
}
