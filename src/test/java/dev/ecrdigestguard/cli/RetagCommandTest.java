package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.oci.RegistryAddress;
import dev.ecrdigestguard.oci.RegistryCredentials;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.retag.FakeRewriting;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RetagCommandTest {

    static final RepositoryName REPO = RepositoryName.of("team/app");
    static final Manifest IMAGE = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\""
            + FakeRewriting.OCI + "\",\"config\":{},\"layers\":[]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);

    final InMemoryRegistry registry = new InMemoryRegistry(REPO);
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Map<String, String> environment = new HashMap<>();
    Optional<RegistryAddress> askedFor = Optional.empty();
    RetagCommand last;
    String stdin = "";

    int run(String... args) {
        RetagCommand command = new RetagCommand();
        command.registries = address -> {
            askedFor = address;
            return registry;
        };
        command.rewriting = new FakeRewriting();
        command.environment = environment;
        command.stdin = () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        last = command;
        CommandLine commandLine = Main.configured(new CommandLine(command), Terminal.NONE);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    JsonNode json() throws IOException {
        return Json.mapper().readTree(out.toString());
    }

    @Test
    void retag_movesASharedTag_printsRetagJson_andExitsZero() throws IOException {
        registry.put(IMAGE, "tag-1", "tag-2");

        int status = run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*",
                "--format", "json");

        assertThat(status).isZero();
        JsonNode json = json();
        assertThat(json.get("action").asText()).isEqualTo("RETAG");
        assertThat(json.get("tag").asText()).isEqualTo("tag-2");
        assertThat(json.get("fromDigest").asText()).isEqualTo(IMAGE.digest().value());
        assertThat(json.get("toDigest").asText()).isEqualTo(registry.digestOf("tag-2").orElseThrow().value());
        assertThat(json.get("reason").asText()).contains("tag-1");
        assertThat(json.get("dryRun").asBoolean()).isFalse();
    }

    @Test
    void retag_printsNone_andExitsZero_whenTheTagHasADigestOfItsOwn() throws IOException {
        registry.put(IMAGE, "tag-2");

        int status = run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*",
                "--format", "json");

        assertThat(status).isZero();
        assertThat(json().get("action").asText()).isEqualTo("NONE");
        assertThat(json().get("toDigest").isNull()).isTrue();
        assertThat(json().get("reason").asText()).contains("digest of its own");
    }

    @Test
    void retag_printsRefused_andExitsOne_whenTheTagIsImmutable() throws IOException {
        registry.put(IMAGE, "tag-1", "tag-2").mutability(TagMutability.IMMUTABLE);

        int status = run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*",
                "--format", "json");

        assertThat(status).isEqualTo(Main.FINDINGS);
        assertThat(json().get("action").asText()).isEqualTo("REFUSED");
        assertThat(json().get("fromDigest").asText()).isEqualTo(IMAGE.digest().value());
        assertThat(json().get("reason").asText()).contains("immutable");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_refusesSignedImages_unlessAllowed() throws IOException {
        registry.put(IMAGE, "tag-1", "tag-2").referrer(IMAGE.digest(), IMAGE.digest());

        assertThat(run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*"))
                .isEqualTo(Main.FINDINGS);
        assertThat(out.toString()).contains("Refused to re-tag team/app:tag-2", "signed", "Nothing was changed.");

        assertThat(run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*",
                "--allow-signed")).isZero();
    }

    @Test
    void retag_dryRun_writesNothing_andExitsOne() throws IOException {
        registry.put(IMAGE, "tag-1", "tag-2");

        int status = run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*", "--dry-run");

        assertThat(status).isEqualTo(Main.FINDINGS);
        assertThat(registry.writes()).isEmpty();
        assertThat(out.toString()).startsWith("Would re-tag team/app:tag-2 from " + IMAGE.digest());
    }

    @Test
    void retag_text_saysWhatChangedAndThatScansAndSignaturesStayWithTheOldDigest() {
        registry.put(IMAGE, "tag-1", "tag-2");

        run("--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*");

        assertThat(out.toString()).contains("Re-tagged team/app:tag-2 from " + IMAGE.digest(),
                "It shared its digest with tag-1", "Changed: annotation", "Scan results and signatures belong to");
    }

    @Test
    void retag_rejectsABadTag_withExitTwo_throughTheRealCommandLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"retag", "--repository", "team/app", "--tag", "-bad",
                "--production-tags", "tag-*"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--tag");
    }

    @Test
    void retag_requiresRepositoryAndTag() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"retag", "--tag", "tag-2"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--repository");
    }

    @Test
    void retag_rejectsARegistryUrlWithAPath_withExitTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"retag", "--registry", "http://127.0.0.1:5000/v2", "--repository",
                "team/app", "--tag", "tag-2", "--production-tags", "tag-*"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--registry", "invalid registry URL");
    }

    @Test
    void retag_ofATagThatDoesNotExist_isBadInput_notNothingToDo() {
        registry.put(IMAGE, "tag-1");

        int status = run("--repository", "team/app", "--tag", "tag-9", "--production-tags", "tag-*");

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip()).isEqualTo("retag: tag tag-9 does not exist in team/app (ECR): check"
                + " --repository, --tag and --region; nothing was changed");
    }

    @Test
    void retag_ofATagThatIsNotProduction_isBadInput_namingThePatterns() {
        registry.put(IMAGE, "tag-1", "latest");

        int status = run("--repository", "team/app", "--tag", "latest", "--production-tags", "tag-*");

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).startsWith("retag: --tag latest is not a production tag (tag-*)").hasLineCount(1);
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void registryPassword_onTheCommandLine_isRefused_withTheWayThatWorks() {
        registry.put(IMAGE, "tag-1", "tag-2");

        int status = run("--registry", "127.0.0.1:5000", "--registry-user", "me", "--registry-password", "hunter2",
                "--repository", "team/app", "--tag", "tag-2", "--production-tags", "tag-*");

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--registry-password is not accepted on the command line")
                .contains("--password-stdin").doesNotContain("hunter2");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void registry_acceptsHostAndPort_asDockerWritesIt() {
        registry.put(IMAGE, "tag-1", "tag-2");

        assertThat(run("--registry", "127.0.0.1:5000", "--repository", "team/app", "--tag", "tag-2",
                "--production-tags", "tag-*")).isZero();
        assertThat(askedFor).map(RegistryAddress::toString).contains("http://127.0.0.1:5000");
    }

    @Test
    void passwordStdin_readsOneLine_forTheRegistryUser() {
        stdin = "s3cret\n";
        registry.put(IMAGE, "tag-1", "tag-2");

        run("--registry", "ghcr.io", "--registry-user", "me", "--password-stdin", "--repository", "team/app",
                "--tag", "tag-2", "--production-tags", "tag-*");

        assertThat(last.credentials(RegistryAddress.parse("ghcr.io"))).isEqualTo(RegistryCredentials.basic("me",
                "s3cret"));
    }

    @Test
    void passwordStdin_withoutAUser_isBadInput() {
        registry.put(IMAGE, "tag-1", "tag-2");
        RetagCommand command = new RetagCommand();
        command.environment = environment;
        command.passwordStdin = true;

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> command.credentials(RegistryAddress.parse("ghcr.io")))
                .withMessage("--password-stdin needs --registry-user (or REGISTRY_USERNAME)");
    }
}
