package dev.ecrdigestguard.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.cli.Main;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code retag} command end to end on a real {@code docker-registry}: the same path as MODE=RETAG (the
 * {@code Retagger} with its safety checks and the real rewriter), judged with skopeo.
 */
class RetagCommandIT {

    @RegisterExtension
    static final LocalRegistry REGISTRY = new LocalRegistry();

    @TempDir
    static Path work;

    private static String layout;

    @BeforeAll
    static void writeLayout() {
        OciLayout oci = OciLayout.create(work.resolve("layout"));
        ObjectNode amd64 = oci.image("amd64", "hello from amd64");
        ObjectNode arm64 = oci.image("arm64", "hello from arm64");
        oci.tag("single", amd64).tag("two-platforms", oci.index(List.of(amd64, arm64)));
        layout = oci.write();
    }

    private record Run(int status, JsonNode json) { }

    private static Run retag(String repository, String tag, String... more) {
        List<String> args = new ArrayList<>(List.of("retag", "--registry", REGISTRY.endpoint().toString(),
                "--repository", repository, "--tag", tag, "--production-tags", "v*", "--format", "json"));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args.toArray(String[]::new), new PrintStream(out), new PrintStream(err));
        try {
            return new Run(status, Json.mapper().readTree(out.toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("retag printed no JSON (status " + status + ", stderr: " + err + ")", e);
        }
    }

    private static String reference(String repository, String tag) {
        return "docker://" + REGISTRY.hostAndPort() + "/" + repository + ":" + tag;
    }

    private static Digest digestOf(String repository, String tag) {
        return Digest.sha256(Skopeo.rawManifest(reference(repository, tag)));
    }

    /** v1.3.9 and v1.4.0 on one digest: the case the guard exists for. */
    private static Digest seed(String repository, String source, String... options) {
        Skopeo.copy(layout + ":" + source, reference(repository, "v1.3.9"), options);
        Skopeo.copy(reference(repository, "v1.3.9"), reference(repository, "v1.4.0"), "--all", "--preserve-digests");
        return digestOf(repository, "v1.3.9");
    }

    private static void assertRetaggedAndCopyable(String repository, Digest original, Run run) {
        assertThat(run.status()).isZero();
        assertThat(run.json().get("action").asText()).isEqualTo("RETAG");
        assertThat(run.json().get("fromDigest").asText()).isEqualTo(original.value());
        Digest moved = digestOf(repository, "v1.4.0");
        assertThat(run.json().get("toDigest").asText()).isEqualTo(moved.value());
        assertThat(moved).isNotEqualTo(original);
        assertThat(digestOf(repository, "v1.3.9")).isEqualTo(original);
        Path copy = work.resolve("copy-" + repository.replace('/', '-'));
        Skopeo.copy(reference(repository, "v1.4.0"), "dir:" + copy, "--all");
        assertThat(copy.resolve("manifest.json")).exists();
    }

    @Test
    void retag_dockerImage_movesTheTag_andASecondRunDoesNothing() {
        Digest original = seed("cli/docker", "single", "--format", "v2s2");

        Run first = retag("cli/docker", "v1.4.0");
        assertRetaggedAndCopyable("cli/docker", original, first);
        Digest moved = digestOf("cli/docker", "v1.4.0");

        Run second = retag("cli/docker", "v1.4.0");
        assertThat(second.status()).isZero();
        assertThat(second.json().get("action").asText()).isEqualTo("NONE");
        assertThat(digestOf("cli/docker", "v1.4.0")).isEqualTo(moved);
    }

    @Test
    void retag_ociIndex_movesTheTag_andASecondRunDoesNothing() {
        Digest original = seed("cli/index", "two-platforms", "--all", "--preserve-digests");

        assertRetaggedAndCopyable("cli/index", original, retag("cli/index", "v1.4.0"));

        assertThat(retag("cli/index", "v1.4.0").json().get("action").asText()).isEqualTo("NONE");
    }

    @Test
    void retag_dockerManifestList_andOciImage_moveTheirTags() {
        Digest list = seed("cli/list", "two-platforms", "--all", "--format", "v2s2");
        assertRetaggedAndCopyable("cli/list", list, retag("cli/list", "v1.4.0"));

        Digest oci = seed("cli/oci", "single", "--preserve-digests");
        assertRetaggedAndCopyable("cli/oci", oci, retag("cli/oci", "v1.4.0"));
    }

    @Test
    void retag_leavesATagWithADigestOfItsOwnAlone() {
        Skopeo.copy(layout + ":single", reference("cli/unique", "v2.0.0"), "--preserve-digests");
        Digest original = digestOf("cli/unique", "v2.0.0");

        Run run = retag("cli/unique", "v2.0.0");

        assertThat(run.status()).isZero();
        assertThat(run.json().get("action").asText()).isEqualTo("NONE");
        assertThat(digestOf("cli/unique", "v2.0.0")).isEqualTo(original);
    }

    @Test
    void retag_dryRun_changesNothing() {
        Digest original = seed("cli/dry-run", "single", "--format", "v2s2");

        Run run = retag("cli/dry-run", "v1.4.0", "--dry-run");

        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        assertThat(run.json().get("action").asText()).isEqualTo("RETAG");
        assertThat(run.json().get("dryRun").asBoolean()).isTrue();
        assertThat(digestOf("cli/dry-run", "v1.4.0")).isEqualTo(original);
    }

    @Test
    void retag_refusesAnImageWithACosignSignature_andChangesNothing() {
        Digest original = seed("cli/signed", "single", "--preserve-digests");
        Skopeo.copy(layout + ":two-platforms", reference("cli/signed", "sha256-" + original.hex() + ".sig"), "--all",
                "--preserve-digests");

        Run run = retag("cli/signed", "v1.4.0");

        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        assertThat(run.json().get("action").asText()).isEqualTo("REFUSED");
        assertThat(run.json().get("reason").asText()).contains("signed");
        assertThat(digestOf("cli/signed", "v1.4.0")).isEqualTo(original);
    }
}
