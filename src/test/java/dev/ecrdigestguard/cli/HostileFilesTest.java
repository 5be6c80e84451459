package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ecrdigestguard.testing.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial lifecycle policies, {@code describe-images} files and {@code --now} values through {@code preview},
 * {@code audit} and {@code check}, as the jar runs them: each is read or refused with one line that says why, in
 * bounded time — never exit 4, never a stack trace, never a terminal escape echoed raw.
 */
class HostileFilesTest {

    private static final String IMAGES = """
            {"imageDetails":[
              {"imageDigest":"sha256:1111111111111111111111111111111111111111111111111111111111111111",
               "imageTags":["tag-1-0-0"],"imagePushedAt":"2024-06-01T00:00:00+00:00"},
              {"imageDigest":"sha256:2222222222222222222222222222222222222222222222222222222222222222",
               "imageTags":["tag-1-1-0"],"imagePushedAt":1717977600.0}]}
            """;
    private static final String RULE = "{\"rulePriority\":%d,\"description\":\"%s\",\"selection\":{\"tagStatus\":"
            + "\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}";

    @TempDir
    Path folder;

    private static String policy(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    private static String rule(int priority, String description) {
        return String.format(RULE, priority, description);
    }

    /** A policy ECR would refuse, or a file that isn't one, and what the one line must say. */
    static Stream<Arguments> refusedPolicies() {
        return Stream.of(
                Arguments.of("30,721 characters", policy(rule(1, "x".repeat(30_721))), "at most 30720 characters"),
                Arguments.of("10,000 rules", policy(IntStream.rangeClosed(1, 10_000).mapToObj(p -> rule(p, "r"))
                        .toArray(String[]::new)), "at most 30720 characters"),
                Arguments.of("empty file", "", "empty document"),
                Arguments.of("not JSON", "<html>", "not valid JSON"),
                Arguments.of("null", "null", "expected a JSON object"),
                Arguments.of("an array", "[]", "expected a JSON object"),
                Arguments.of("no rules", "{}", "rules"),
                Arguments.of("10,000 levels of nesting", "[".repeat(10_000) + "]".repeat(10_000), "lifecycle policy"),
                Arguments.of("priority beyond int", policy(rule(1, "r").replace("\"rulePriority\":1",
                        "\"rulePriority\":9223372036854775808")), "rulePriority is required and must be an integer"),
                Arguments.of("countNumber 1e400", policy(rule(1, "r").replace("\"countNumber\":1",
                        "\"countNumber\":1e400")), "countNumber must be a positive integer"),
                Arguments.of("countNumber as a 20,000-digit string", policy(rule(1, "r").replace("\"countNumber\":1",
                        "\"countNumber\":\"" + "9".repeat(20_000) + "\"")), "countNumber must be a positive integer"),
                Arguments.of("an ANSI escape as a field name", policy(rule(1, "r").replace("\"description\"",
                        "\"\\u001b[2J\"")), "unknown field '\\u001B[2J'"),
                Arguments.of("a tag pattern with 100 wildcards", policy(rule(1, "r").replace("\"tagStatus\":\"any\"",
                        "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"" + "a*".repeat(100) + "\"]")), "wildcards"),
                Arguments.of("lifecyclePolicyText not a string", "{\"lifecyclePolicyText\":{\"rules\":[]}}",
                        "expected the policy as a JSON string"),
                Arguments.of("lifecyclePolicyText that is not JSON", "{\"lifecyclePolicyText\":\"nope\"}",
                        "lifecyclePolicyText: not valid JSON"),
                Arguments.of("a duplicate priority", policy(rule(1, "a"), rule(1, "b")), "rulePriority"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedPolicies")
    void preview_refusesAPolicyEcrWouldRefuse_inOneLine(String name, String policy, String reason) throws IOException {
        Result result = preview(write("policy.json", policy), write("images.json", IMAGES));

        assertThat(result.run().status()).isEqualTo(Main.BAD_INPUT);
        result.assertOneLine("preview: ", reason);
    }

    @Test
    void preview_readsAPolicyWithAByteOrderMark_andEscapesATerminalHostileDescription() throws IOException {
        String description = "\\u001b[31mKeep\\u001b[0m\\nlast\\rone \\u202e" + "d".repeat(500);
        Path policy = Files.write(folder.resolve("policy.json"),
                ("\uFEFF" + policy(rule(1, description))).getBytes(StandardCharsets.UTF_8));

        Result result = preview(policy, write("images.json", IMAGES));

        assertThat(result.run().status()).isEqualTo(Main.OK);
        assertThat(result.run().out()).contains("rule 1 '\\u001B[31mKeep\\u001B[0m\\nlast\\rone \\u202Eddd")
                .doesNotContain("\u001b", "\r", "\u202e").contains("characters)'");
        assertThat(result.run().out().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThan(400));
    }

    @Test
    void preview_refusesAPolicyFileFarLargerThanAnyPolicy_withoutReadingIt() throws IOException {
        Path huge = folder.resolve("huge.json");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(2L * 1024 * 1024 * 1024);
        }

        Result result = preview(huge, write("images.json", IMAGES));

        assertThat(result.run().status()).isEqualTo(Main.BAD_INPUT);
        result.assertOneLine("preview: ", "2147483648 bytes; ECR accepts a policy of at most 30720 characters");
    }

    /** describe-images files that are not what the AWS CLI writes. */
    static Stream<Arguments> refusedImageFiles() {
        String image = "{\"imageDigest\":\"sha256:" + "1".repeat(64) + "\",\"imagePushedAt\":1.6E9%s}";
        return Stream.of(
                Arguments.of("empty file", "", "no 'imageDetails' array"),
                Arguments.of("a lifecycle policy by mistake", policy(rule(1, "r")), "no 'imageDetails' array"),
                Arguments.of("not JSON", "IMAGEDETAILS\t123456789012", "not valid JSON"),
                Arguments.of("an image without a digest", "{\"imageDetails\":[{\"imagePushedAt\":1.6E9}]}",
                        "without imageDigest"),
                Arguments.of("an image without a push time", "{\"imageDetails\":[{\"imageDigest\":\"sha256:"
                        + "1".repeat(64) + "\"}]}", "has no imagePushedAt"),
                Arguments.of("a digest of 1 MB", "{\"imageDetails\":[{\"imageDigest\":\"sha256:" + "a".repeat(1 << 20)
                        + "\",\"imagePushedAt\":1.6E9}]}", "invalid image digest"),
                Arguments.of("a tag with an ANSI escape", "{\"imageDetails\":[" + String.format(image,
                        ",\"imageTags\":[\"\\u001b[2Jx\"]") + "]}", "invalid image tag '\\u001B[2Jx'"),
                Arguments.of("a timestamp that is no time", "{\"imageDetails\":[" + String.format(image, "")
                        .replace("1.6E9", "\"yesterday\"") + "]}", "imagePushedAt 'yesterday'"),
                Arguments.of("imageTags not a list", "{\"imageDetails\":[" + String.format(image,
                        ",\"imageTags\":\"tag-1\"") + "]}", "imageTags must be an array"),
                Arguments.of("10,000 levels of nesting", "{\"imageDetails\":[" + String.format(image,
                        ",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000)) + "]}", "describe-images"),
                Arguments.of("epoch 1e16", "{\"imageDetails\":[" + String.format(image, "").replace("1.6E9", "1e16")
                        + "]}", "outside the supported range"),
                Arguments.of("epoch -1e16", "{\"imageDetails\":[" + String.format(image, "").replace("1.6E9",
                        "-1e16") + "]}", "outside the supported range"),
                Arguments.of("year 999999999", "{\"imageDetails\":[" + String.format(image, "").replace("1.6E9",
                        "\"+999999999-12-31T23:59:59Z\"") + "]}", "outside the supported range"),
                Arguments.of("last pull in year 1", "{\"imageDetails\":[" + String.format(image,
                        ",\"lastRecordedPullTime\":\"0001-01-01T00:00:00Z\"") + "]}",
                        "lastRecordedPullTime 0001-01-01T00:00:00Z is outside the supported range"),
                Arguments.of("epoch 1e400", "{\"imageDetails\":[" + String.format(image, "").replace("1.6E9", "1e400")
                        + "]}", "imagePushedAt 1E+400 seconds since the epoch is outside the supported range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedImageFiles")
    void preview_refusesADescribeImagesFileThatIsNotOne_inOneLine(String name, String images, String reason)
            throws IOException {
        Result result = preview(write("policy.json", policy(rule(1, "r"))), write("images.json", images));

        assertThat(result.run().status()).isEqualTo(Main.BAD_INPUT);
        result.assertOneLine("preview: ", reason);
    }

    @ParameterizedTest(name = "audit of {0}")
    @MethodSource("refusedImageFiles")
    void audit_refusesTheSameFiles_inOneLine(String name, String images, String reason) throws IOException {
        Path snapshot = Files.createDirectories(folder.resolve("snapshot"));
        Files.writeString(snapshot.resolve("describe-images.json"), images);

        Result result = run("audit", "--snapshot", snapshot.toString(), "--production-tags", "tag-*");

        assertThat(result.run().status()).isEqualTo(Main.BAD_INPUT);
        result.assertOneLine("audit: ", reason);
    }

    @ParameterizedTest(name = "--now {0}")
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z"})
    void previewAndAudit_refuseANowOutsideTheSupportedRange(String now) throws IOException {
        Result preview = preview(write("policy.json", policy(rule(1, "r"))), write("images.json", IMAGES), "--now",
                now);
        Result audit = run("audit", "--snapshot", SampleEvents.SNAPSHOT.toString(), "--production-tags", "tag-*",
                "--now", now);

        for (Result result : List.of(preview, audit)) {
            assertThat(result.run().status()).isEqualTo(Main.BAD_INPUT);
            result.assertOneLine("", "--now " + now + " is outside the supported range");
        }
    }

    @Test
    void previewAndAudit_acceptTheEdgesOfTheRange() throws IOException {
        for (String now : List.of("1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
            assertThat(preview(write("policy.json", policy(rule(1, "r"))), write("images.json", IMAGES), "--now",
                    now).run().status()).as(now).isEqualTo(Main.OK);
        }
    }

    @ParameterizedTest(name = "check with {0}")
    @MethodSource("refusedPolicies")
    void check_withAPolicyItCannotRead_stillReportsTheSharedDigest(String name, String policy, String reason)
            throws IOException {
        // GIVEN the calm recording with its policy replaced: the guard reports the shared digest without lifecycle
        Path snapshot = Files.createDirectories(folder.resolve("snapshot"));
        Files.copy(SampleEvents.SNAPSHOT.resolve("describe-images.json"), snapshot.resolve("describe-images.json"));
        Files.writeString(snapshot.resolve("lifecycle-policy.json"), policy);

        Result result = run("check", "--event", SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot",
                snapshot.toString(), "--production-tags", "tag-*");

        if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_FILE_BYTES) {
            // A file that can't be a policy is the wrong file: said at once, as for preview
            assertThat(result.run().status()).isEqualTo(Main.BAD_INPUT);
            result.assertOneLine("check: ", "bytes; ECR accepts a policy of at most 30720 characters");
        } else {
            // What ECR could hold but the guard can't read is reported as the function reports it
            assertThat(result.run().status()).isEqualTo(Main.FINDINGS);
            assertThat(result.run().out()).contains("tag-1-253-0 shares its digest with tag-1-252-0");
            result.assertClean();
        }
    }

    /** LifecyclePolicyFile's bound: four bytes for each character the parser reads at most. */
    private static final long MAX_POLICY_FILE_BYTES = 4L * 8 * 30_720;

    // ---- running the jar's entry point

    private Path write(String name, String content) throws IOException {
        return Files.writeString(folder.resolve(name), content);
    }

    private Result preview(Path policy, Path images, String... more) {
        List<String> args = new ArrayList<>(List.of("preview", "--images", images.toString(), "--policy",
                policy.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static Result run(String... args) {
        return new Result(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CheckCommandTest.run(args)));
    }

    record Result(CheckCommandTest.Run run) {

        /** Nothing a terminal would act on, no stack trace, on either stream. */
        void assertClean() {
            assertThat(run.out() + run.err()).doesNotContain("\u001b", "\r", "\u0000", "\u202e", "\tat ");
            assertThat(run.status()).isNotEqualTo(Main.INTERNAL_ERROR);
        }

        /** Exactly one line on stderr, starting {@code prefix}, containing {@code reason}, short. */
        void assertOneLine(String prefix, String reason) {
            assertClean();
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.err()).startsWith(prefix).contains(reason).hasSizeLessThan(2_500);
        }
    }
}
