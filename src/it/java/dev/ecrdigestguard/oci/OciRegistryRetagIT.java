package dev.ecrdigestguard.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.manifest.ManifestRewriter;
import dev.ecrdigestguard.manifest.MediaTypes;
import dev.ecrdigestguard.manifest.Rewrite;
import dev.ecrdigestguard.registry.ImageRegistry.PushOutcome;
import dev.ecrdigestguard.registry.RegistryContentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-tags each kind of image on a real {@code docker-registry} through {@link OciRegistryClient}, then lets skopeo
 * judge: the tag moved to a new digest, every blob of it downloads and verifies, only the marker differs, and the
 * release that shared the digest stays where it was.
 */
class OciRegistryRetagIT {

    @RegisterExtension
    static final LocalRegistry REGISTRY = new LocalRegistry();

    private static final Tag RELEASE = Tag.of("v1.4.0");
    private static final Tag EARLIER_RELEASE = Tag.of("v1.3.9");
    private static final String MARKER = ManifestRewriter.MARKER_KEY;

    @TempDir
    static Path work;

    private static String layout;
    private OciRegistryClient client;

    @BeforeAll
    static void writeLayout() {
        OciLayout oci = OciLayout.create(work.resolve("layout"));
        ObjectNode amd64 = oci.image("amd64", "hello from amd64");
        ObjectNode arm64 = oci.image("arm64", "hello from arm64");
        oci.tag("single", amd64)
                .tag("two-platforms", oci.index(List.of(amd64, arm64)))
                .tag("attested", oci.index(List.of(amd64, arm64, oci.attestation(amd64))));
        layout = oci.write();
    }

    private OciRegistryClient client() {
        if (client == null) {
            client = OciRegistryClient.create(REGISTRY.endpoint(), RegistryCredentials.anonymous());
        }
        return client;
    }

    @Test
    void retag_dockerSchema2Image_addsOneConfigLabelAndKeepsLayers() {
        RepositoryName repository = seed("retag/docker", "single", "--format", "v2s2");
        byte[] before = raw(repository, RELEASE);
        assertThat(mediaType(before)).isEqualTo(MediaTypes.DOCKER_MANIFEST);

        Rewrite.Rewritten rewritten = retag(repository, RELEASE);

        byte[] after = assertMovedAndCopyable(repository, before, rewritten);
        ObjectNode expected = tree(before);
        ((ObjectNode) expected.get("config")).put("digest", tree(after).get("config").get("digest").asText())
                .put("size", tree(after).get("config").get("size").asInt());
        assertThat(tree(after)).isEqualTo(expected);
        assertOnlyLabelAdded(config(repository, EARLIER_RELEASE.value()), config(repository, RELEASE.value()));
        assertRepeatChangesNothing(repository, rewritten);
    }

    @Test
    void retag_ociImage_addsOneManifestAnnotationAndKeepsConfigAndLayers() {
        RepositoryName repository = seed("retag/oci", "single", "--preserve-digests");
        byte[] before = raw(repository, RELEASE);
        assertThat(mediaType(before)).isEqualTo(MediaTypes.OCI_MANIFEST);

        Rewrite.Rewritten rewritten = retag(repository, RELEASE);

        byte[] after = assertMovedAndCopyable(repository, before, rewritten);
        assertThat(withoutAnnotation(tree(after))).isEqualTo(tree(before));
        assertThat(tree(after).get("annotations").get(MARKER).asText()).isEqualTo(RELEASE.value());
        assertThat(config(repository, RELEASE.value())).isEqualTo(config(repository, EARLIER_RELEASE.value()));
        assertThat(rewritten.blobs()).isEmpty();
        assertRepeatChangesNothing(repository, rewritten);
    }

    @Test
    void retag_ociIndexWithAttestation_annotatesIndexAndKeepsEveryChild() {
        RepositoryName repository = seed("retag/index", "attested", "--all", "--preserve-digests");
        byte[] before = raw(repository, RELEASE);
        assertThat(mediaType(before)).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(tree(before).get("manifests")).hasSize(3);

        Rewrite.Rewritten rewritten = retag(repository, RELEASE);

        byte[] after = assertMovedAndCopyable(repository, before, rewritten);
        assertThat(withoutAnnotation(tree(after))).isEqualTo(tree(before));
        assertThat(tree(after).get("manifests")).isEqualTo(tree(before).get("manifests"));
        assertRepeatChangesNothing(repository, rewritten);
    }

    @Test
    void retag_dockerManifestList_rebuildsEveryPlatformWithOneLabel() {
        RepositoryName repository = seed("retag/list", "two-platforms", "--all", "--format", "v2s2");
        byte[] before = raw(repository, RELEASE);
        assertThat(mediaType(before)).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);

        Rewrite.Rewritten rewritten = retag(repository, RELEASE);

        byte[] after = assertMovedAndCopyable(repository, before, rewritten);
        JsonNode beforeEntries = tree(before).get("manifests");
        JsonNode afterEntries = tree(after).get("manifests");
        assertThat(afterEntries).hasSize(beforeEntries.size()).hasSize(2);
        for (int i = 0; i < beforeEntries.size(); i++) {
            JsonNode was = beforeEntries.get(i);
            JsonNode is = afterEntries.get(i);
            assertThat(is.get("platform")).isEqualTo(was.get("platform"));
            assertThat(is.get("digest")).isNotEqualTo(was.get("digest"));
            ObjectNode oldChild = tree(rawByDigest(repository, was.get("digest").asText()));
            ObjectNode newChild = tree(rawByDigest(repository, is.get("digest").asText()));
            assertThat(newChild.get("layers")).isEqualTo(oldChild.get("layers"));
            assertOnlyLabelAdded(config(repository, "@" + was.get("digest").asText()),
                    config(repository, "@" + is.get("digest").asText()));
        }
        assertRepeatChangesNothing(repository, rewritten);
    }

    @Test
    void retag_twoReleasesOnOneDigest_endOnTwoNewDigests_andTheOlderReleaseKeepsTheOriginal() {
        RepositoryName repository = seed("retag/two-at-once", "single", "--format", "v2s2");
        Tag next = Tag.of("v1.4.1");
        Skopeo.copy(reference(repository, ":" + RELEASE), reference(repository, ":" + next), "--preserve-digests");
        Digest original = Digest.sha256(raw(repository, EARLIER_RELEASE));

        Digest first = retag(repository, RELEASE).manifest().digest();
        Digest second = retag(repository, next).manifest().digest();

        assertThat(first).isNotEqualTo(second).isNotEqualTo(original);
        assertThat(Digest.sha256(raw(repository, RELEASE))).isEqualTo(first);
        assertThat(Digest.sha256(raw(repository, next))).isEqualTo(second);
        assertThat(Digest.sha256(raw(repository, EARLIER_RELEASE))).isEqualTo(original);
    }

    @Test
    void retag_interruptedAfterTheUploads_leavesTheTagInPlace_andARetryFinishesTheJob() {
        RepositoryName repository = seed("retag/interrupted", "two-platforms", "--all", "--format", "v2s2");
        Digest original = Digest.sha256(raw(repository, RELEASE));
        RegistryContentSource source = new RegistryContentSource(client(), repository);
        Rewrite.Rewritten planned = (Rewrite.Rewritten) ManifestRewriter.makeUnique(
                client().fetchManifest(repository, RELEASE.value()).orElseThrow(), RELEASE, source);
        planned.blobs().forEach(blob -> client().pushBlob(repository, blob.digest(), blob.content()));
        planned.children().forEach(child -> client().pushManifest(repository, Optional.empty(), child));

        assertThat(Digest.sha256(raw(repository, RELEASE))).isEqualTo(original);

        Rewrite.Rewritten retried = retag(repository, RELEASE);

        assertThat(retried.manifest().digest()).isEqualTo(planned.manifest().digest());
        assertThat(Digest.sha256(raw(repository, RELEASE))).isEqualTo(planned.manifest().digest());
    }

    @Test
    void makeUnique_refusesTheAttestationManifestInsideAnIndex() {
        RepositoryName repository = seed("retag/attestation", "attested", "--all", "--preserve-digests");
        JsonNode attestation = tree(raw(repository, RELEASE)).get("manifests").get(2);
        Manifest manifest = client().fetchManifest(repository, attestation.get("digest").asText()).orElseThrow();

        Rewrite result = ManifestRewriter.makeUnique(manifest, RELEASE,
                new RegistryContentSource(client(), repository));

        assertThat(result).isInstanceOf(Rewrite.NotRewritable.class);
        assertThat(((Rewrite.NotRewritable) result).reason()).contains("artifact", "application/vnd.in-toto+json");
    }

    @Test
    void adapter_uploadsBlobs_listsTags_findsCosignStyleSignatures_andReportsAbsence() {
        RepositoryName repository = seed("adapter/signed", "single", "--preserve-digests");
        Digest image = client().fetchManifest(repository, RELEASE.value()).orElseThrow().digest();
        byte[] emptyConfig = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] payload = ("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + image + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        client().pushBlob(repository, Digest.sha256(emptyConfig), emptyConfig);
        client().pushBlob(repository, Digest.sha256(payload), payload);
        client().pushBlob(repository, Digest.sha256(payload), payload);
        Manifest signature = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(emptyConfig) + "\",\"size\":2},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.dev.cosign.simplesigning.v1+json\",\"digest\":\"" + Digest.sha256(payload)
                + "\",\"size\":" + payload.length + "}]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        // docker-registry 2.8 has no referrers API: the adapter must fall back to cosign's tag convention.
        Tag signatureTag = Tag.of("sha256-" + image.hex() + ".sig");

        assertThat(client().pushManifest(repository, Optional.of(signatureTag), signature)).isEqualTo(PushOutcome.CREATED);
        assertThat(client().pushManifest(repository, Optional.of(signatureTag), signature))
                .isEqualTo(PushOutcome.ALREADY_EXISTED);

        assertThat(client().fetchBlob(repository, Digest.sha256(payload))).hasValueSatisfying(
                content -> assertThat(content).isEqualTo(payload));
        assertThat(client().listTags(repository)).containsExactlyInAnyOrder(RELEASE, EARLIER_RELEASE, signatureTag);
        assertThat(client().referrers(repository, image)).containsExactly(signature.digest());
        assertThat(ManifestRewriter.makeUnique(signature, signatureTag,
                new RegistryContentSource(client(), repository))).isInstanceOf(Rewrite.NotRewritable.class);
        assertThat(client().fetchManifest(repository, "v9.9.9")).isEmpty();
        assertThat(client().fetchBlob(repository, Digest.sha256(new byte[] {1}))).isEmpty();
        assertThat(client().listTags(RepositoryName.of("adapter/never-pushed"))).isEmpty();
    }

    // --- the re-tag as the orchestration will run it: rewrite, upload blobs, children, then the tagged manifest

    private Rewrite.Rewritten retag(RepositoryName repository, Tag tag) {
        RegistryContentSource source = new RegistryContentSource(client(), repository);
        Manifest current = client().fetchManifest(repository, tag.value()).orElseThrow();
        assertThat(ManifestRewriter.carriesMarker(current, tag, source)).isFalse();
        Rewrite result = ManifestRewriter.makeUnique(current, tag, source);
        assertThat(result).isInstanceOf(Rewrite.Rewritten.class);
        Rewrite.Rewritten rewritten = (Rewrite.Rewritten) result;
        push(repository, tag, rewritten);
        Manifest moved = client().fetchManifest(repository, tag.value()).orElseThrow();
        assertThat(ManifestRewriter.carriesMarker(moved, tag, source)).isTrue();
        assertThat(ManifestRewriter.carriesMarker(moved, EARLIER_RELEASE, source)).isFalse();
        return rewritten;
    }

    private PushOutcome push(RepositoryName repository, Tag tag, Rewrite.Rewritten rewritten) {
        rewritten.blobs().forEach(blob -> client().pushBlob(repository, blob.digest(), blob.content()));
        rewritten.children().forEach(child -> client().pushManifest(repository, Optional.empty(), child));
        return client().pushManifest(repository, Optional.of(tag), rewritten.manifest());
    }

    /** The same event delivered again: the guard sees its marker; forcing a rewrite anyway yields the same digest. */
    private void assertRepeatChangesNothing(RepositoryName repository, Rewrite.Rewritten first) {
        RegistryContentSource source = new RegistryContentSource(client(), repository);
        Manifest original = client().fetchManifest(repository, EARLIER_RELEASE.value()).orElseThrow();
        Rewrite again = ManifestRewriter.makeUnique(original, RELEASE, source);
        assertThat(((Rewrite.Rewritten) again).manifest().digest()).isEqualTo(first.manifest().digest());
        assertThat(push(repository, RELEASE, (Rewrite.Rewritten) again)).isEqualTo(PushOutcome.ALREADY_EXISTED);
        assertThat(Digest.sha256(raw(repository, RELEASE))).isEqualTo(first.manifest().digest());
    }

    private byte[] assertMovedAndCopyable(RepositoryName repository, byte[] before, Rewrite.Rewritten rewritten) {
        byte[] after = raw(repository, RELEASE);
        assertThat(Digest.sha256(after))
                .isEqualTo(rewritten.manifest().digest())
                .isNotEqualTo(Digest.sha256(before));
        assertThat(Digest.sha256(raw(repository, EARLIER_RELEASE))).isEqualTo(Digest.sha256(before));
        Path copy = work.resolve("copy-" + repository.value().replace('/', '-'));
        Skopeo.copy(reference(repository, ":" + RELEASE), "dir:" + copy, "--all");
        assertThat(copy.resolve("manifest.json")).exists();
        return after;
    }

    private static void assertOnlyLabelAdded(ObjectNode before, ObjectNode after) {
        assertThat(after.get("config").get("Labels").get(MARKER).asText()).isEqualTo(RELEASE.value());
        ObjectNode stripped = after.deepCopy();
        ObjectNode labels = (ObjectNode) stripped.get("config").get("Labels");
        labels.remove(MARKER);
        if (labels.isEmpty() && !before.get("config").has("Labels")) {
            ((ObjectNode) stripped.get("config")).remove("Labels");
        }
        assertThat(stripped).isEqualTo(before);
        assertThat(fieldNames(after)).isEqualTo(fieldNames(before));
    }

    private static ObjectNode withoutAnnotation(ObjectNode manifest) {
        ObjectNode stripped = manifest.deepCopy();
        ((ObjectNode) stripped.get("annotations")).remove(MARKER);
        if (stripped.get("annotations").isEmpty()) {
            stripped.remove("annotations");
        }
        return stripped;
    }

    private RepositoryName seed(String repository, String source, String... options) {
        String first = reference(RepositoryName.of(repository), ":" + EARLIER_RELEASE);
        Skopeo.copy(layout + ":" + source, first, options);
        // The second release lands on the very same digest, which is the case the guard exists for.
        Skopeo.copy(first, reference(RepositoryName.of(repository), ":" + RELEASE), "--all", "--preserve-digests");
        RepositoryName name = RepositoryName.of(repository);
        assertThat(Digest.sha256(raw(name, RELEASE))).isEqualTo(Digest.sha256(raw(name, EARLIER_RELEASE)));
        return name;
    }

    private static String reference(RepositoryName repository, String suffix) {
        return "docker://" + REGISTRY.hostAndPort() + "/" + repository + suffix;
    }

    private static byte[] raw(RepositoryName repository, Tag tag) {
        return Skopeo.rawManifest(reference(repository, ":" + tag));
    }

    private static byte[] rawByDigest(RepositoryName repository, String digest) {
        return Skopeo.rawManifest(reference(repository, "@" + digest));
    }

    private static ObjectNode config(RepositoryName repository, String tagOrAtDigest) {
        String suffix = tagOrAtDigest.startsWith("@") ? tagOrAtDigest : ":" + tagOrAtDigest;
        return tree(Skopeo.rawConfig(reference(repository, suffix)));
    }

    private static String mediaType(byte[] manifest) {
        return tree(manifest).get("mediaType").asText();
    }

    private static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) OciLayout.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
