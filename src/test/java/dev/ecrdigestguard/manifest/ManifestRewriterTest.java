package dev.ecrdigestguard.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestRewriterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Tag TAG = Tag.of("v2.0.1");
    static final String MARKER = ManifestRewriter.MARKER_KEY;
    static final String LAYER = "sha256:" + "1".repeat(64);
    static final String OTHER_LAYER = "sha256:" + "2".repeat(64);

    final FakeContentSource source = new FakeContentSource();

    @Nested
    class OciImageManifest {

        @Test
        void makeUnique_addsOneAnnotation_andKeepsEverythingElseInOrder() {
            Manifest original = Manifest.of(bytes("""
                    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                     "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7},
                     "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":3,
                                "annotations":{"org.opencontainers.image.title":"app.tar"}}],
                     "annotations":{"org.opencontainers.image.created":"2026-01-01T00:00:00Z"},
                     "x-vendor":{"b":1,"a":2.50}}""".formatted(LAYER, OTHER_LAYER)), MediaTypes.OCI_MANIFEST);

            Rewrite.Rewritten rewritten = rewritten(ManifestRewriter.makeUnique(original, TAG, source));

            ObjectNode after = tree(rewritten.manifest().bytes());
            assertThat(after.get("annotations").get(MARKER).asText()).isEqualTo("v2.0.1");
            assertThat(withoutAnnotation(after)).isEqualTo(tree(original.bytes()));
            assertThat(fieldNames(after)).containsExactly("schemaVersion", "mediaType", "config", "layers",
                    "annotations", "x-vendor");
            assertThat(fieldNames(after.get("annotations")))
                    .containsExactly("org.opencontainers.image.created", MARKER);
            assertThat(rewritten.manifest().text()).contains("\"a\":2.50");
            assertThat(rewritten.manifest().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(rewritten.manifest().digest()).isEqualTo(Digest.sha256(rewritten.manifest().bytes()));
            assertThat(rewritten.blobs()).isEmpty();
            assertThat(rewritten.children()).isEmpty();
            assertThat(rewritten.change()).contains("annotation", MARKER, "v2.0.1");
        }

        @Test
        void makeUnique_createsAnnotations_whenAbsentOrNull_andKeepsAMissingMediaTypeMissing() {
            Manifest noAnnotations = ociManifest("");
            Manifest nullAnnotations = ociManifest(",\"annotations\":null");

            ObjectNode first = tree(rewritten(ManifestRewriter.makeUnique(noAnnotations, TAG, source)).manifest().bytes());
            ObjectNode second = tree(rewritten(ManifestRewriter.makeUnique(nullAnnotations, TAG, source)).manifest().bytes());

            assertThat(first.get("annotations").get(MARKER).asText()).isEqualTo("v2.0.1");
            assertThat(second.get("annotations").get(MARKER).asText()).isEqualTo("v2.0.1");
            assertThat(first.has("mediaType")).isFalse();
        }

        @Test
        void makeUnique_isDeterministic_andGivesEachTagItsOwnDigest() {
            Manifest original = ociManifest("");

            Digest once = rewritten(ManifestRewriter.makeUnique(original, TAG, source)).manifest().digest();
            Digest twice = rewritten(ManifestRewriter.makeUnique(original, TAG, source)).manifest().digest();
            Digest otherTag = rewritten(ManifestRewriter.makeUnique(original, Tag.of("v2.0.2"), source)).manifest().digest();

            assertThat(once).isEqualTo(twice).isNotEqualTo(original.digest()).isNotEqualTo(otherTag);
        }

        @Test
        void carriesMarker_recognisesItsOwnRewrite_forThatTagOnly() {
            Manifest original = ociManifest("");
            Manifest rewritten = rewritten(ManifestRewriter.makeUnique(original, TAG, source)).manifest();

            assertThat(ManifestRewriter.carriesMarker(rewritten, TAG, source)).isTrue();
            assertThat(ManifestRewriter.carriesMarker(rewritten, Tag.of("v2.0.2"), source)).isFalse();
            assertThat(ManifestRewriter.carriesMarker(original, TAG, source)).isFalse();
        }
    }

    @Nested
    class DockerSchema2 {

        @Test
        void makeUnique_addsOneConfigLabel_uploadsTheNewConfig_andPointsTheManifestAtIt() {
            Digest config = source.addBlob("""
                    {"architecture":"amd64","config":{"Env":["PATH=/bin"],"Labels":{"maintainer":"ops"}},\
                    "os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(LAYER));
            Manifest original = dockerManifest(config, source.blob(config).orElseThrow().length);

            Rewrite.Rewritten rewritten = rewritten(ManifestRewriter.makeUnique(original, TAG, source));

            assertThat(rewritten.blobs()).hasSize(1);
            Blob newConfig = rewritten.blobs().get(0);
            ObjectNode configAfter = tree(newConfig.content());
            assertThat(fieldNames(configAfter.get("config").get("Labels"))).containsExactly("maintainer", MARKER);
            ((ObjectNode) configAfter.get("config").get("Labels")).remove(MARKER);
            assertThat(configAfter).isEqualTo(tree(source.blob(config).orElseThrow()));

            ObjectNode manifestAfter = tree(rewritten.manifest().bytes());
            assertThat(manifestAfter.get("config").get("digest").asText()).isEqualTo(newConfig.digest().value());
            assertThat(manifestAfter.get("config").get("size").asInt()).isEqualTo(newConfig.content().length);
            assertThat(manifestAfter.get("layers")).isEqualTo(tree(original.bytes()).get("layers"));
            assertThat(manifestAfter.has("annotations")).isFalse();
            assertThat(rewritten.manifest().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            assertThat(rewritten.change()).contains("label", MARKER);
        }

        @ParameterizedTest(name = "config {0}")
        @CsvSource(delimiter = '|', value = {
                "Labels null|{\"architecture\":\"amd64\",\"config\":{\"Labels\":null},\"os\":\"linux\"}",
                "Labels absent|{\"architecture\":\"amd64\",\"config\":{\"Env\":[]},\"os\":\"linux\"}",
                "config null|{\"architecture\":\"amd64\",\"config\":null,\"os\":\"linux\"}",
                "config absent|{\"architecture\":\"amd64\",\"os\":\"linux\"}"})
        void makeUnique_createsLabels_whenTheConfigHasNone(String name, String configJson) {
            Digest config = source.addBlob(configJson);
            Manifest original = dockerManifest(config, configJson.length());

            Rewrite.Rewritten rewritten = rewritten(ManifestRewriter.makeUnique(original, TAG, source));

            JsonNode labels = tree(rewritten.blobs().get(0).content()).get("config").get("Labels");
            assertThat(fieldNames(labels)).containsExactly(MARKER);
            source.store(rewritten);
            assertThat(ManifestRewriter.carriesMarker(rewritten.manifest(), TAG, source)).isTrue();
            assertThat(ManifestRewriter.carriesMarker(original, TAG, source)).isFalse();
        }

        @Test
        void makeUnique_refuses_whenTheConfigBlobIsMissing() {
            Manifest original = dockerManifest(Digest.of(OTHER_LAYER), 10);

            Rewrite result = ManifestRewriter.makeUnique(original, TAG, source);

            assertThat(reason(result)).contains("config blob", OTHER_LAYER, "missing");
        }
    }

    @Nested
    class OciIndex {

        @Test
        void makeUnique_addsOneIndexAnnotation_andLeavesEveryChildAsItWas() {
            String children = """
                    [{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":500,
                      "platform":{"architecture":"amd64","os":"linux"}},
                     {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":501,
                      "platform":{"architecture":"unknown","os":"unknown"},
                      "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]""".formatted(LAYER, OTHER_LAYER);
            Manifest original = Manifest.of(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                    + "\",\"manifests\":" + children + "}"), MediaTypes.OCI_INDEX);

            Rewrite.Rewritten rewritten = rewritten(ManifestRewriter.makeUnique(original, TAG, source));

            ObjectNode after = tree(rewritten.manifest().bytes());
            assertThat(after.get("manifests")).isEqualTo(tree(original.bytes()).get("manifests"));
            assertThat(withoutAnnotation(after)).isEqualTo(tree(original.bytes()));
            assertThat(rewritten.blobs()).isEmpty();
            assertThat(rewritten.children()).isEmpty();
            assertThat(ManifestRewriter.carriesMarker(rewritten.manifest(), TAG, source)).isTrue();
        }
    }

    @Nested
    class DockerManifestList {

        @Test
        void makeUnique_rebuildsEveryPlatform_andKeepsEachEntryButDigestAndSize() {
            Manifest amd64 = dockerChild("amd64");
            Manifest arm64 = dockerChild("arm64");
            Manifest original = dockerList(
                    entry(amd64, "{\"architecture\":\"amd64\",\"os\":\"linux\"}"),
                    entry(arm64, "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}"),
                    entry(arm64, "{\"architecture\":\"arm64\",\"os\":\"linux\"}"));

            Rewrite.Rewritten rewritten = rewritten(ManifestRewriter.makeUnique(original, TAG, source));

            JsonNode before = tree(original.bytes()).get("manifests");
            JsonNode after = tree(rewritten.manifest().bytes()).get("manifests");
            assertThat(after).hasSize(3);
            for (int i = 0; i < 3; i++) {
                ObjectNode expected = before.get(i).deepCopy();
                expected.set("digest", after.get(i).get("digest"));
                expected.set("size", after.get(i).get("size"));
                assertThat(after.get(i)).isEqualTo(expected);
                assertThat(after.get(i).get("digest")).isNotEqualTo(before.get(i).get("digest"));
            }
            assertThat(after.get(1).get("digest")).isEqualTo(after.get(2).get("digest"));
            assertThat(rewritten.children()).hasSize(2);
            assertThat(rewritten.blobs()).hasSize(2);
            assertThat(rewritten.children()).extracting(Manifest::digest).containsExactly(
                    Digest.of(after.get(0).get("digest").asText()), Digest.of(after.get(1).get("digest").asText()));
            source.store(rewritten);
            assertThat(ManifestRewriter.carriesMarker(rewritten.manifest(), TAG, source)).isTrue();
            assertThat(ManifestRewriter.carriesMarker(original, TAG, source)).isFalse();
        }

        @Test
        void carriesMarker_readsEachDistinctPlatformImageOnce() {
            // GIVEN our own rewrite of a list naming one image for 3,000 platforms, stored as pushing it would
            Manifest amd64 = dockerChild("amd64");
            String[] entries = new String[3_000];
            java.util.Arrays.fill(entries, entry(amd64, "{\"architecture\":\"amd64\",\"os\":\"linux\"}"));
            Rewrite.Rewritten rewritten = rewritten(ManifestRewriter.makeUnique(dockerList(entries), TAG, source));
            source.store(rewritten);
            int before = source.reads();

            // WHEN the idempotency check looks at it
            boolean marked = ManifestRewriter.carriesMarker(rewritten.manifest(), TAG, source);

            // THEN it read the one platform image and its config, not 3,000 of each
            assertThat(marked).isTrue();
            assertThat(source.reads() - before).isEqualTo(2);
        }

        @Test
        void makeUnique_refusesTheWholeList_whenOnePlatformCannotBeRebuilt() {
            Manifest amd64 = dockerChild("amd64");
            String schema1Entry = "{\"mediaType\":\"" + MediaTypes.DOCKER_SCHEMA1_SIGNED + "\",\"digest\":\"" + LAYER
                    + "\",\"size\":9,\"platform\":{\"architecture\":\"s390x\",\"os\":\"linux\"}}";

            Rewrite result = ManifestRewriter.makeUnique(dockerList(entry(amd64, "{\"os\":\"linux\"}"), schema1Entry),
                    TAG, source);

            assertThat(reason(result)).contains("entry 2", "linux/s390x", MediaTypes.DOCKER_SCHEMA1_SIGNED);
        }

        @Test
        void makeUnique_refuses_whenAPlatformImageIsMissing() {
            Manifest amd64 = Manifest.of(bytes("{\"schemaVersion\":2}"), MediaTypes.DOCKER_MANIFEST);

            Rewrite result = ManifestRewriter.makeUnique(dockerList(entry(amd64, "{\"os\":\"linux\"}")), TAG, source);

            assertThat(reason(result)).contains("missing");
        }
    }

    @Nested
    class NotRewritable {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "Helm chart|application/vnd.cncf.helm.config.v1+json||application/vnd.cncf.helm.chart.content.v1.tar+gzip|Helm",
                "artifactType SBOM|application/vnd.oci.empty.v1+json|application/spdx+json|application/spdx+json|artifact",
                "cosign signature|application/vnd.oci.image.config.v1+json||application/vnd.dev.cosign.simplesigning.v1+json|signature",
                "in-toto attestation|application/vnd.oci.image.config.v1+json||application/vnd.in-toto+json|attestation"})
        void makeUnique_refusesArtifacts_andSaysWhy(String kind, String configType, String artifactType, String layerType,
                String expectedWord) {
            String artifact = artifactType == null ? "" : ",\"artifactType\":\"" + artifactType + "\"";
            Manifest manifest = Manifest.of(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\""
                    + artifact + ",\"config\":{\"mediaType\":\"" + configType + "\",\"digest\":\"" + LAYER
                    + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + OTHER_LAYER
                    + "\",\"size\":5}]}"), MediaTypes.OCI_MANIFEST);

            assertThat(reason(ManifestRewriter.makeUnique(manifest, TAG, source))).contains(expectedWord);
        }

        @Test
        void makeUnique_refusesAManifestWithASubject() {
            Manifest referrer = ociManifest(",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                    + OTHER_LAYER + "\",\"size\":10}");

            assertThat(reason(ManifestRewriter.makeUnique(referrer, TAG, source))).contains("subject", OTHER_LAYER);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "schema 1|application/vnd.docker.distribution.manifest.v1+prettyjws|{\"schemaVersion\":1,\"name\":\"a\"}|schema 1",
                "unknown type|application/vnd.example.thing+json|{\"schemaVersion\":2}|application/vnd.example.thing+json",
                "OCI artifact manifest|application/vnd.oci.artifact.manifest.v1+json|{\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"}|not container images",
                "not JSON|application/vnd.oci.image.manifest.v1+json|not json|not valid JSON",
                "JSON array|application/vnd.oci.image.manifest.v1+json|[1]|not a JSON object",
                "duplicate key|application/vnd.oci.image.manifest.v1+json|{\"schemaVersion\":2,\"schemaVersion\":2}|valid JSON",
                "served and declared differ|application/vnd.oci.image.index.v1+json|{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}|declares"})
        void makeUnique_refusesWhatIsNotAnImageItUnderstands(String name, String servedAs, String body, String expected) {
            Manifest manifest = Manifest.of(bytes(body), servedAs);

            Rewrite result = ManifestRewriter.makeUnique(manifest, TAG, source);

            assertThat(reason(result)).contains(expected);
            assertThat(ManifestRewriter.carriesMarker(manifest, TAG, source)).isFalse();
        }
    }

    // --- fixtures

    static Manifest ociManifest(String extraFields) {
        return Manifest.of(bytes("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG
                + "\",\"digest\":\"" + LAYER + "\",\"size\":7},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + OTHER_LAYER + "\",\"size\":3}]"
                + extraFields + "}"), MediaTypes.OCI_MANIFEST);
    }

    static Manifest dockerManifest(Digest config, int configSize) {
        return Manifest.of(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"size\":" + configSize
                + ",\"digest\":\"" + config + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":3,\"digest\":\"" + OTHER_LAYER
                + "\"}]}"), MediaTypes.DOCKER_MANIFEST);
    }

    Manifest dockerChild(String architecture) {
        String config = "{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"config\":{}}";
        Manifest child = dockerManifest(source.addBlob(config), config.length());
        source.addManifest(child);
        return child;
    }

    static String entry(Manifest child, String platform) {
        return "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":" + child.bytes().length
                + ",\"digest\":\"" + child.digest() + "\",\"platform\":" + platform + "}";
    }

    static Manifest dockerList(String... entries) {
        return Manifest.of(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST
                + "\",\"manifests\":[" + String.join(",", entries) + "]}"), MediaTypes.DOCKER_MANIFEST_LIST);
    }

    static Rewrite.Rewritten rewritten(Rewrite result) {
        assertThat(result).isInstanceOf(Rewrite.Rewritten.class);
        return (Rewrite.Rewritten) result;
    }

    static String reason(Rewrite result) {
        assertThat(result).isInstanceOf(Rewrite.NotRewritable.class);
        return ((Rewrite.NotRewritable) result).reason();
    }

    static ObjectNode withoutAnnotation(ObjectNode manifest) {
        ObjectNode stripped = manifest.deepCopy();
        ((ObjectNode) stripped.get("annotations")).remove(MARKER);
        if (stripped.get("annotations").isEmpty()) {
            stripped.remove("annotations");
        }
        return stripped;
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
