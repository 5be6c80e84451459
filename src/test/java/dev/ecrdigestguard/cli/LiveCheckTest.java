package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.LocalAws;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check --repository R --tag T}: the runbook's "confirm the fix", against ECR (a local server answering as ECR
 * does, reached by the real SDK client), and the alert's commands pasted as a shell would split them.
 */
class LiveCheckTest {

    private static final Path RECORDING = Path.of("events/snapshot-expiring");

    private LocalAws aws;

    @TempDir
    Path dir;

    @BeforeEach
    void ecrServesTheWriteUpsRepository() throws IOException {
        aws = LocalAws.start();
        answer("DescribeImages", onTheWire(RECORDING.resolve("describe-images.json")));
        answer("GetLifecyclePolicy", onTheWire(RECORDING.resolve("lifecycle-policy.json")));
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /** The AWS CLI's recording as ECR sends it: the same JSON, with timestamps as epoch seconds. */
    static String onTheWire(Path recorded) throws IOException {
        JsonNode root = Json.mapper().readTree(recorded.toFile());
        epochSeconds(root);
        return Json.mapper().writeValueAsString(root);
    }

    private static void epochSeconds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value.isTextual() && value.asText().matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
                    Instant instant = OffsetDateTime.parse(value.asText()).toInstant();
                    object.put(name, new BigDecimal(instant.getEpochSecond()).add(
                            BigDecimal.valueOf(instant.getNano(), 9)));
                } else {
                    epochSeconds(value);
                }
            }
        } else if (node.isArray()) {
            node.forEach(LiveCheckTest::epochSeconds);
        }
    }

    private void answer(String operation, String body) {
        aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + operation))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
    }

    @Test
    void check_readsTheTagAsItIsNow_andFindsTheSharedDigest() {
        CheckCommandTest.Run run = CheckCommandTest.run("check", "--region", "eu-west-1", "--repository", "shop-api",
                "--tag", "tag-1-253-0", "--production-tags", "tag-*");

        assertThat(run.status()).as(run.err()).isEqualTo(Main.FINDINGS);
        assertThat(run.out()).contains("Push shop-api:tag-1-253-0 (sha256:ec1477a7420a")
                .contains("WARNING SHARED_DIGEST").contains("already carries the production tag tag-1-252-0")
                // the account comes from ECR's registryId, so the alert links the image in the console
                .contains("https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/123456789012/shop-api/");
    }

    @Test
    void theAlertsCommands_parseAsTheCommandsTheyName_andTheConfirmRuns() throws Exception {
        CheckCommandTest.Run offline = CheckCommandTest.run("check", "--event",
                SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot", RECORDING.toString(),
                "--production-tags", "tag-*");
        List<String> lines = offline.out().lines().toList();
        String doNow = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("Do now:")).findFirst()
                .orElseThrow()) + 1).strip();
        String confirm = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("Confirm:")).findFirst()
                .orElseThrow()) + 1).strip();

        List<String> retag = shellWords(doNow);
        assertThat(retag.subList(0, 3)).containsExactly("java", "-jar", "ecr-digest-guard.jar");
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(
                retag.subList(3, retag.size()).toArray(String[]::new));
        RetagCommand command = (RetagCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(command.repository).isEqualTo("shop-api");
        assertThat(command.tag).isEqualTo("tag-1-253-0");
        assertThat(command.productionTags.value).isEqualTo("tag-*");
        assertThat(command.aws.region).isEqualTo("eu-west-1");

        List<String> check = shellWords(confirm);
        CheckCommandTest.Run confirmed = CheckCommandTest.run(check.subList(3, check.size()).toArray(String[]::new));
        assertThat(confirmed.status()).as(confirmed.err()).isEqualTo(Main.FINDINGS);
        assertThat(confirmed.out()).contains("Push shop-api:tag-1-253-0");
    }

    @Test
    void check_ofATagThatDoesNotExist_isBadInput() {
        aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + "DescribeImages"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"RepositoryNotFoundException\",\"message\":\"no such repository\"}")));

        CheckCommandTest.Run run = CheckCommandTest.run("check", "--region", "eu-west-1", "--repository", "shop-ap",
                "--tag", "tag-1-253-0", "--production-tags", "tag-*");

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).startsWith("check: repository shop-ap does not exist in eu-west-1").hasLineCount(1);
    }

    @Test
    void check_withTheRecordingOfAnotherRepository_isBadInput_notAGoneImage() throws IOException {
        String event = Files.readString(SampleEvents.path(SampleEvents.COLLISION)).replace("shop-api", "shop-web");
        Path file = Files.writeString(dir.resolve("push-shop-web.json"), event);

        CheckCommandTest.Run run = CheckCommandTest.run("check", "--event", file.toString(), "--snapshot",
                RECORDING.toString(), "--production-tags", "tag-*");

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("check: snapshot events/snapshot-expiring records repository shop-api, not"
                + " shop-web").hasLineCount(1);
    }

    @Test
    void aRecordingInTheAwsClisTextOutput_saysToRecordItAsJson() throws IOException {
        Path snapshot = Files.createDirectories(dir.resolve("text"));
        Files.writeString(snapshot.resolve("describe-images.json"),
                "IMAGEDETAILS\tsha256:ec14\t2022-12-15T10:57:20+01:00\tshop-api\nIMAGETAGS\ttag-1-252-0\n");

        CheckCommandTest.Run run = CheckCommandTest.run("check", "--event",
                SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot", snapshot.toString(),
                "--production-tags", "tag-*");

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("Unrecognized token 'IMAGEDETAILS'")
                .contains("record it with the AWS CLI's --output json").hasLineCount(1);
    }

    /** The words a POSIX shell makes of a command line (bash itself splits it). */
    static List<String> shellWords(String commandLine) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "bash",
                commandLine).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).isZero();
        List<String> words = new ArrayList<>(List.of(out.split("\0")));
        return words;
    }
}
