package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code check} offline against the bundled snapshot, through {@link Main} as {@code java -jar} runs it. */
class CheckCommandTest {

    private static final String SNAPSHOT = SampleEvents.SNAPSHOT.toString();

    record Run(int status, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run check(String event, String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--event", SampleEvents.path(event).toString(),
                "--snapshot", SNAPSHOT, "--production-tags", "tag-*"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void collision_reportsSharedDigest_andTheAlert_withStatus1() {
        Run run = check(SampleEvents.COLLISION);

        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        assertThat(run.out()).contains("Push shop-api:tag-1-253-0")
                .contains("Subject: [ecr-digest-guard] WARNING SHARED_DIGEST: tag-1-253-0 in shop-api")
                .contains("tag-1-253-0 shares its digest with tag-1-252-0 in shop-api")
                .contains("Do now:");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void collision_asJson_isOneObject_withFindingsAndAlert() throws Exception {
        Run run = check(SampleEvents.COLLISION, "--format", "json");

        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        JsonNode root = run.json();
        assertThat(root.get("findings")).hasSize(1);
        JsonNode finding = root.get("findings").get(0);
        assertThat(finding.get("kind").asText()).isEqualTo("SHARED_DIGEST");
        assertThat(finding.get("repository").asText()).isEqualTo("shop-api");
        assertThat(finding.get("tag").asText()).isEqualTo("tag-1-253-0");
        assertThat(finding.get("imageDigest").asText())
                .isEqualTo("sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c");
        assertThat(finding.get("otherProductionTags").toString()).isEqualTo("[\"tag-1-252-0\"]");
        assertThat(finding.get("imagePushedAt").asText()).isEqualTo("2022-12-15T09:57:20Z");
        JsonNode alert = root.get("alert");
        assertThat(alert.get("subject").asText()).startsWith("[ecr-digest-guard] WARNING SHARED_DIGEST");
        assertThat(alert.at("/message/default").asText()).contains("tag-1-252-0");
        assertThat(alert.at("/messageAttributes/repository/StringValue").asText()).isEqualTo("shop-api");
        assertThat(alert.get("published").asBoolean()).isFalse();
    }

    @Test
    void productionTagWithItsOwnDigest_findsNothing_withStatus0() throws Exception {
        Run run = check(SampleEvents.PRODUCTION_UNIQUE, "--format", "json");

        assertThat(run.status()).isEqualTo(Main.OK);
        assertThat(run.json().get("findings")).isEmpty();
        assertThat(run.json().get("alert").isNull()).isTrue();
    }

    static Stream<String> samplesWithoutFindings() {
        return Stream.concat(SampleEvents.NOT_PRODUCTION.stream(), SampleEvents.IGNORED.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplesWithoutFindings")
    void otherSamples_reportNothing_withStatus0(String event) throws Exception {
        Run text = check(event);
        Run json = check(event, "--format", "json");

        assertThat(text.status()).isEqualTo(Main.OK);
        assertThat(text.out()).doesNotContain("SHARED_DIGEST");
        assertThat(json.status()).isEqualTo(Main.OK);
        assertThat(json.json().get("findings")).isEmpty();
        assertThat(json.json().get("alert").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ecrdigestguard.cli.CheckCommandTest#malformedSamples")
    void malformedSamples_areBadInput_withOneLineReason(String event) {
        Run run = check(event);

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).startsWith("check: event ").contains("is malformed").doesNotContain("\n");
    }

    static Stream<String> malformedSamples() {
        return SampleEvents.MALFORMED.stream();
    }

    @Test
    void badInputs_exitWith2_andSayWhyOnTheFirstLine() {
        String collision = SampleEvents.path(SampleEvents.COLLISION).toString();
        assertThat(firstErrorLine(run("check", "--event", "no-such.json", "--snapshot", SNAPSHOT,
                "--production-tags", "tag-*"))).contains("no-such.json does not exist");
        assertThat(firstErrorLine(run("check", "--event", collision, "--snapshot", "no-such-folder",
                "--production-tags", "tag-*"))).contains("no-such-folder does not exist");
        assertThat(firstErrorLine(run("check", "--event", collision, "--snapshot", SNAPSHOT,
                "--production-tags", "a*b*c*d*e*f"))).contains("--production-tags").contains("wildcards");
        assertThat(firstErrorLine(run("check", "--event", collision, "--snapshot", SNAPSHOT,
                "--production-tags", "tag-*", "--format", "xml"))).contains("xml");
        assertThat(firstErrorLine(run("check", "--snapshot", SNAPSHOT))).contains("--event");
        assertThat(firstErrorLine(run("no-such-command"))).contains("no-such-command");
    }

    @Test
    void missingProductionTags_isBadInput_namingTheOptionAndVariable() {
        Run run = run("check", "--event", SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot", SNAPSHOT);

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("--production-tags").contains("PRODUCTION_TAG_PATTERNS");
    }

    private static String firstErrorLine(Run run) {
        assertThat(run.status()).as("status of a bad input, stderr: %s", run.err()).isEqualTo(Main.BAD_INPUT);
        return run.err().lines().findFirst().orElse("");
    }

    static Stream<List<String>> everyCommandsHelp() {
        CommandLine root = new CommandLine(new Main());
        Stream<List<String>> subcommands = root.getSubcommands().keySet().stream()
                .flatMap(name -> Stream.of(List.of(name, "--help"), List.of("help", name)));
        return Stream.concat(Stream.of(List.of("--help"), List.of("help")), subcommands);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCommandsHelp")
    void help_isAvailableOnEveryCommand(List<String> args) {
        Run run = run(args.toArray(String[]::new));

        assertThat(run.status()).isEqualTo(Main.OK);
        assertThat(run.out()).contains("Usage: ecr-digest-guard");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkHelp_documentsTheOptionsAndExitStatus() {
        assertThat(run("check", "--help").out()).contains("--event", "--snapshot", "--production-tags", "--format",
                "--publish", "--topic-arn", "Exit status", "1   findings", "2   bad input or usage");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void version_isPrinted(String option) {
        assertThat(run(option).out()).startsWith("ecr-digest-guard ");
    }

    @Test
    void aTagAsItIsNow_inARecording_isJudgedLikeItsPush() {
        // A recording says nothing of the account: the single-account guard judges it all the same.
        Run run = run("check", "--snapshot", "events/snapshot-expiring", "--repository", "shop-api", "--tag",
                "tag-1-253-0", "--production-tags", "tag-*");

        assertThat(run.status()).as(run.err()).isEqualTo(Main.FINDINGS);
        assertThat(run.out()).contains("production tag tag-1-253-0: 3 finding(s)").contains("SHARED_DIGEST");
    }
}
