package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ecrdigestguard.config.BuildInfo;
import dev.ecrdigestguard.testing.LocalAws;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What people expect of an AWS command line: short usage errors, --region and --profile, --version, help. */
class CommandLineConventionsTest {

    private static final String WRITE_UP_EVENT = SampleEvents.path(SampleEvents.COLLISION).toString();

    @TempDir
    Path dir;

    private static CheckCommandTest.Run run(String... args) {
        return CheckCommandTest.run(args);
    }

    @Test
    void usageError_isOneLineAndAHint_notThePageOfHelp() {
        CheckCommandTest.Run run = run("check", "--event", WRITE_UP_EVENT, "--format", "xml");

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).containsExactly(
                "check: Invalid value for option '--format': expected one of [text, json, table] (case-insensitive)"
                        + " but was 'xml'",
                "Try 'ecr-digest-guard check --help' for more information.");
    }

    @Test
    void aMistypedCommandOrOption_getsASuggestion() {
        assertThat(run("chek").err()).contains("Did you mean: check").doesNotContain("Usage:");
        CheckCommandTest.Run option = run("check", "--evnt", WRITE_UP_EVENT);
        assertThat(option.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(option.err()).contains("Unknown options: '--evnt'").contains("Did you mean: --event?").doesNotContain("Usage:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "Json", "json"})
    void format_isCaseInsensitive_asInTheAwsCli(String format) throws Exception {
        CheckCommandTest.Run run = run("check", "--event", WRITE_UP_EVENT, "--snapshot", "events/snapshot-expiring",
                "--production-tags", "tag-*", "--format", format);

        assertThat(run.status()).as(run.err()).isEqualTo(Main.FINDINGS);
        assertThat(run.json().get("findings")).hasSize(3);
    }

    @Test
    void version_isTheBuildsVersionAndCommit() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher declared = Pattern.compile("<artifactId>ecr-digest-guard</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(declared.find()).isTrue();

        String version = run("--version").out();

        assertThat(version.lines().findFirst().orElseThrow())
                .matches("ecr-digest-guard " + Pattern.quote(declared.group(1)) + " \\(commit [0-9a-f]{12}\\)");
        assertThat(version).doesNotContain("development build").contains("Java ");
        assertThat(BuildInfo.current().version()).isEqualTo(declared.group(1));
    }

    @Test
    void help_hasExamplesAndEnvironment() {
        assertThat(run("--help").out()).contains("Examples:", "Environment:", "AWS_PROFILE", "NO_COLOR",
                "generate-completion", "gen-manpage");
        assertThat(run("check", "--help").out()).contains("Examples:", "--repository", "--region", "--profile",
                "Environment:");
        assertThat(run("retag", "--help").out()).contains("Examples:", "--password-stdin", "DOCKER_CONFIG")
                .doesNotContain("--registry-password");
    }

    @Test
    void completionScript_isGeneratedByPicocli_andCompletesTheCommands() throws Exception {
        CheckCommandTest.Run run = run("generate-completion");
        assertThat(run.status()).isZero();
        Path script = Files.writeString(dir.resolve("completion.bash"), run.out());

        Process bash = new ProcessBuilder("bash", "-c", "source '" + script + "' && complete -p ecr-digest-guard"
                + " && COMP_WORDS=(ecr-digest-guard ch) COMP_CWORD=1 && _complete_ecr-digest-guard"
                + " && printf '%s\\n' \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).as(output).isZero();
        assertThat(output).contains("-F _complete_ecr-digest-guard ecr-digest-guard").contains("check");
    }

    @Test
    void manPages_areGeneratedByPicocli_forEveryCommand() throws IOException {
        CheckCommandTest.Run run = run("gen-manpage", "--outdir", dir.toString());

        assertThat(run.status()).as(run.err()).isZero();
        for (String page : List.of("ecr-digest-guard", "ecr-digest-guard-check", "ecr-digest-guard-retag",
                "ecr-digest-guard-preview", "ecr-digest-guard-audit")) {
            assertThat(Files.readString(dir.resolve(page + ".adoc"))).as(page).contains(":doctype: manpage")
                    .contains("== Name").contains("== Synopsis").contains("== Options");
        }
        assertThat(Files.readString(dir.resolve("ecr-digest-guard-check.adoc"))).contains("--region");
    }

    @Test
    void region_thatIsNoRegionName_isOneLineNamingTheOption() {
        CheckCommandTest.Run run = run("check", "--region", "eu-west", "--repository", "shop-api", "--tag", "tag-1",
                "--production-tags", "tag-*");

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("check: --region 'eu-west' is not an AWS region name such as eu-west-1");
    }

    @Test
    void profile_thatDoesNotExist_isOneLineNamingTheOption() throws IOException {
        withAwsConfig("[profile dev]\nregion = ap-southeast-2\n", "", () -> {
            CheckCommandTest.Run run = run("check", "--profile", "prod", "--repository", "shop-api", "--tag",
                    "tag-1", "--production-tags", "tag-*");

            assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
            assertThat(run.err()).startsWith("check: --profile prod: no such profile").hasLineCount(1);
        });
    }

    @Test
    void profile_givesItsCredentials_overThoseOfTheEnvironment_whileAwsRegionStillWins() throws IOException {
        withAwsConfig("[profile dev]\nregion = ap-southeast-2\n",
                "[dev]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret\n", () -> {
            try (LocalAws aws = LocalAws.start()) {
                aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + "DescribeImages"))
                        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                                .withBody("{\"__type\":\"ImageNotFoundException\",\"message\":\"not found\"}")));

                CheckCommandTest.Run run = run("check", "--profile", "dev", "--repository", "shop-api", "--tag",
                        "tag-9-9-9", "--production-tags", "tag-*");

                assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
                assertThat(run.err().strip()).isEqualTo("check: tag tag-9-9-9 does not exist in repository shop-api"
                        + " (eu-west-1): check --tag and --region (aws ecr list-images --repository-name shop-api"
                        + " --region eu-west-1)");
                LoggedRequest request = aws.server().getAllServeEvents().get(0).getRequest();
                assertThat(request.getHeader("Authorization"))
                        .contains("Credential=AKIDFROMPROFILE/").contains("/eu-west-1/ecr/aws4_request");
            }
        });
        assertThat(System.getProperty("aws.region")).as("--profile's region stays with its run").isNull();
    }

    @Test
    void unreachableEndpoint_isNamedInTheError() {
        String previous = System.getProperty("aws.endpointUrlEcr");
        System.setProperty("aws.endpointUrlEcr", "http://127.0.0.1:1");
        try {
            CheckCommandTest.Run run = run("check", "--region", "eu-west-1", "--repository", "shop-api", "--tag",
                    "tag-1-253-0", "--production-tags", "tag-*");

            assertThat(run.status()).isEqualTo(Main.AWS_FAILURE);
            assertThat(run.err()).contains("cannot reach http://127.0.0.1:1 (ConnectException")
                    .doesNotContain("\tat ");
        } finally {
            System.clearProperty("aws.endpointUrlEcr");
            if (previous != null) {
                System.setProperty("aws.endpointUrlEcr", previous);
            }
        }
    }

    private void withAwsConfig(String config, String credentials, Runnable test) throws IOException {
        Path configFile = Files.writeString(dir.resolve("config"), config);
        Path credentialsFile = Files.writeString(dir.resolve("credentials"), credentials);
        List<String> properties = List.of("aws.configFile", "aws.sharedCredentialsFile");
        List<String> previous = new ArrayList<>();
        properties.forEach(name -> previous.add(System.getProperty(name)));
        System.setProperty("aws.configFile", configFile.toString());
        System.setProperty("aws.sharedCredentialsFile", credentialsFile.toString());
        try {
            test.run();
        } finally {
            for (int i = 0; i < properties.size(); i++) {
                if (previous.get(i) == null) {
                    System.clearProperty(properties.get(i));
                } else {
                    System.setProperty(properties.get(i), previous.get(i));
                }
            }
        }
    }
}
