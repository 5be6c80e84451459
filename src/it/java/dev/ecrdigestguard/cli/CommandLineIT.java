package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a person runs it, in a process of its own: what lands on stderr with nothing configured, the
 * version, a profile's region, and progress on a real terminal (a pseudo-terminal from util-linux's script) but never
 * in a file.
 */
class CommandLineIT {

    private static final Path JAR = Path.of("target/ecr-digest-guard.jar");

    @TempDir
    Path home;

    private WireMockServer ecr;

    record Run(int status, String out, String err) { }

    @BeforeEach
    void start() throws IOException {
        assertThat(JAR).as("the jar the package phase builds").isRegularFile();
        ecr = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        ecr.start();
        String target = "AmazonEC2ContainerRegistry_V20150921.";
        ecr.stubFor(post("/").withHeader("X-Amz-Target", equalTo(target + "DescribeImages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"imageDetails\":[{\"repositoryName\":\"shop-api\",\"imageDigest\":\"sha256:"
                                + "1".repeat(64) + "\",\"imageTags\":[\"tag-1\"],\"imagePushedAt\":1671098240}]}")));
        ecr.stubFor(post("/").withHeader("X-Amz-Target", equalTo(target + "GetLifecyclePolicy"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"LifecyclePolicyNotFoundException\",\"message\":\"none\"}")));
    }

    @AfterEach
    void stop() {
        ecr.stop();
    }

    /** A clean environment: no AWS settings but those given, a home of its own. */
    private Map<String, String> environment(Map<String, String> aws) {
        Map<String, String> environment = new java.util.HashMap<>();
        environment.put("PATH", System.getenv("PATH"));
        environment.put("HOME", home.toString());
        environment.put("AWS_CONFIG_FILE", home.resolve("no-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.putAll(aws);
        return environment;
    }

    private Run java(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void noRegion_isOneLineSayingWhatToDo_andNoLibraryPrintsAnything() throws Exception {
        Run run = java(environment(Map.of()), "audit", "--repository", "shop-api", "--production-tags", "tag-*");

        assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("audit: no AWS region: pass --region (e.g. --region eu-west-1), set AWS_REGION,"
                + " or set region in the profile of ~/.aws/config\n");
    }

    @Test
    void version_isTheReleaseAndItsCommit() throws Exception {
        Run run = java(environment(Map.of()), "--version");

        assertThat(run.status()).isZero();
        assertThat(run.out()).containsPattern("^ecr-digest-guard \\d+\\.\\d+\\.\\d+ \\(commit [0-9a-f]{12}\\)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void profile_givesTheRegion_whenNothingElseDoes() throws Exception {
        Path config = Files.writeString(home.resolve("config"), "[profile dev]\nregion = ap-southeast-2\n");
        Path credentials = Files.writeString(home.resolve("credentials"),
                "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = secret\n");

        Run run = java(environment(Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_SHARED_CREDENTIALS_FILE",
                credentials.toString(), "AWS_ENDPOINT_URL_ECR", ecr.baseUrl())), "check", "--profile", "dev",
                "--repository", "shop-api", "--tag", "tag-1", "--production-tags", "tag-*");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(ecr.getAllServeEvents()).allSatisfy(event -> assertThat(event.getRequest().getHeader(
                "Authorization")).contains("Credential=AKIDDEV/").contains("/ap-southeast-2/ecr/aws4_request"));
    }

    @Test
    void progress_showsOnATerminal_andNeverInAFile() throws Exception {
        Map<String, String> aws = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKID",
                "AWS_SECRET_ACCESS_KEY", "secret", "AWS_ENDPOINT_URL_ECR", ecr.baseUrl());
        String audit = javaBinary() + " -jar " + JAR.toAbsolutePath() + " audit --repository shop-api"
                + " --production-tags 'tag-*'";

        // stdout to a file, stderr on a (pseudo-)terminal: progress on the terminal, the report clean in the file
        Path report = home.resolve("report.txt");
        ProcessBuilder script = new ProcessBuilder("script", "-qec", audit + " > " + report, "/dev/null")
                .redirectErrorStream(true);
        script.environment().clear();
        script.environment().putAll(environment(aws));
        Process onTerminal = script.start();
        String terminal = new String(onTerminal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(onTerminal.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(terminal).contains("\r\u001b[Kaudit 1/1 shop-api");
        assertThat(Files.readString(report)).contains("shop-api: 1 images").doesNotContain("\u001b");

        // stderr to a file: no escape codes in it
        Run toFiles = java(environment(aws), "audit", "--repository", "shop-api", "--production-tags", "tag-*");
        assertThat(toFiles.err()).doesNotContain("\u001b");
        assertThat(toFiles.out()).contains("shop-api: 1 images");
    }
}
