package dev.ecrdigestguard.manifest;

import static dev.ecrdigestguard.manifest.ManifestRewriterTest.JSON;
import static dev.ecrdigestguard.manifest.ManifestRewriterTest.MARKER;
import static dev.ecrdigestguard.manifest.ManifestRewriterTest.fieldNames;
import static dev.ecrdigestguard.manifest.ManifestRewriterTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Rewriting over generated manifests and configs with arbitrary extra fields, annotations, labels and platforms:
 * the output parses, its digest is the sha256 of its bytes, it differs from the input only in the intended field,
 * key order is kept, and no platform or child is lost.
 */
class ManifestRewriterProperties {

    @Property(tries = 200)
    void ociManifest_differsOnlyInTheMarkerAnnotation(@ForAll("ociManifests") ObjectNode generated, @ForAll("tags") Tag tag) {
        Manifest original = Manifest.of(write(generated), MediaTypes.OCI_MANIFEST);
        ObjectNode input = tree(original.bytes());

        Rewrite.Rewritten rewritten = ManifestRewriterTest.rewritten(
                ManifestRewriter.makeUnique(original, tag, new FakeContentSource()));

        ObjectNode output = tree(rewritten.manifest().bytes());
        assertThat(rewritten.manifest().digest()).isEqualTo(Digest.sha256(rewritten.manifest().bytes()));
        assertThat(rewritten.manifest().digest()).isNotEqualTo(original.digest());
        assertThat(output.get("annotations").get(MARKER).asText()).isEqualTo(tag.value());
        assertThat(withoutMarker(output, "annotations", input)).isEqualTo(input);
        assertThat(fieldNames(output).subList(0, fieldNames(input).size())).isEqualTo(fieldNames(input));
        assertThat(rewritten.blobs()).isEmpty();
    }

    @Property(tries = 200)
    void ociIndex_keepsEveryChild_andDiffersOnlyInTheMarkerAnnotation(@ForAll("ociIndexes") ObjectNode generated,
            @ForAll("tags") Tag tag) {
        Manifest original = Manifest.of(write(generated), MediaTypes.OCI_INDEX);
        ObjectNode input = tree(original.bytes());

        Rewrite.Rewritten rewritten = ManifestRewriterTest.rewritten(
                ManifestRewriter.makeUnique(original, tag, new FakeContentSource()));

        ObjectNode output = tree(rewritten.manifest().bytes());
        assertThat(rewritten.manifest().digest()).isEqualTo(Digest.sha256(rewritten.manifest().bytes()));
        assertThat(output.get("manifests")).isEqualTo(input.get("manifests"));
        assertThat(withoutMarker(output, "annotations", input)).isEqualTo(input);
        assertThat(ManifestRewriter.carriesMarker(rewritten.manifest(), tag, new FakeContentSource())).isTrue();
    }

    @Property(tries = 200)
    void dockerImage_changesOnlyTheConfigLabelAndTheConfigDescriptor(@ForAll("dockerConfigs") ObjectNode generated,
            @ForAll("tags") Tag tag) {
        FakeContentSource source = new FakeContentSource();
        Blob configBlob = Blob.of(write(generated));
        ObjectNode config = tree(configBlob.content());
        source.addBlob(configBlob);
        Manifest original = ManifestRewriterTest.dockerManifest(configBlob.digest(), configBlob.content().length);

        Rewrite.Rewritten rewritten = ManifestRewriterTest.rewritten(ManifestRewriter.makeUnique(original, tag, source));

        Blob newConfig = rewritten.blobs().get(0);
        assertThat(newConfig.digest()).isEqualTo(Digest.sha256(newConfig.content()));
        ObjectNode configAfter = tree(newConfig.content());
        assertThat(configAfter.get("config").get("Labels").get(MARKER).asText()).isEqualTo(tag.value());
        assertThat(withoutLabel(configAfter, config)).isEqualTo(config);
        assertThat(fieldNames(configAfter).subList(0, fieldNames(config).size())).isEqualTo(fieldNames(config));

        ObjectNode manifestAfter = tree(rewritten.manifest().bytes());
        ObjectNode expected = tree(original.bytes());
        ((ObjectNode) expected.get("config")).put("digest", newConfig.digest().value())
                .put("size", newConfig.content().length);
        assertThat(manifestAfter).isEqualTo(expected);
        assertThat(fieldNames(manifestAfter.get("config"))).isEqualTo(fieldNames(expected.get("config")));
        assertThat(rewritten.manifest().digest()).isEqualTo(Digest.sha256(rewritten.manifest().bytes()));
    }

    @Property(tries = 100)
    void dockerList_keepsEveryPlatformInOrder(@ForAll("platformLists") List<ObjectNode> platforms, @ForAll("tags") Tag tag) {
        FakeContentSource source = new FakeContentSource();
        ArrayNode entries = JSON.createArrayNode();
        for (ObjectNode platform : platforms) {
            String config = "{\"architecture\":\"" + platform.get("architecture").asText() + "\",\"os\":\"linux\"}";
            Manifest child = ManifestRewriterTest.dockerManifest(source.addBlob(config), config.length());
            source.addManifest(child);
            ObjectNode entry = entries.addObject();
            entry.put("mediaType", MediaTypes.DOCKER_MANIFEST).put("size", child.bytes().length)
                    .put("digest", child.digest().value()).set("platform", platform);
        }
        ObjectNode list = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.DOCKER_MANIFEST_LIST);
        list.set("manifests", entries);
        Manifest original = Manifest.of(write(list), MediaTypes.DOCKER_MANIFEST_LIST);

        Rewrite.Rewritten rewritten = ManifestRewriterTest.rewritten(ManifestRewriter.makeUnique(original, tag, source));

        JsonNode after = tree(rewritten.manifest().bytes()).get("manifests");
        assertThat(after).hasSize(platforms.size());
        for (int i = 0; i < platforms.size(); i++) {
            assertThat(after.get(i).get("platform")).isEqualTo(platforms.get(i));
            Digest childDigest = Digest.of(after.get(i).get("digest").asText());
            int size = after.get(i).get("size").asInt();
            assertThat(rewritten.children()).anySatisfy(child -> {
                assertThat(child.digest()).isEqualTo(childDigest);
                assertThat(child.bytes()).hasSize(size);
            });
        }
        source.store(rewritten);
        assertThat(ManifestRewriter.carriesMarker(rewritten.manifest(), tag, source)).isTrue();
    }

    @Property(tries = 100)
    void twoTagsOnOneImage_endOnTwoDigests_andOneTagTwiceOnOne(@ForAll("ociManifests") ObjectNode input,
            @ForAll("tags") Tag first, @ForAll("tags") Tag second) {
        Manifest original = Manifest.of(write(input), MediaTypes.OCI_MANIFEST);
        FakeContentSource source = new FakeContentSource();

        Digest a = ManifestRewriterTest.rewritten(ManifestRewriter.makeUnique(original, first, source)).manifest().digest();
        Digest again = ManifestRewriterTest.rewritten(ManifestRewriter.makeUnique(original, first, source)).manifest().digest();
        Digest b = ManifestRewriterTest.rewritten(ManifestRewriter.makeUnique(original, second, source)).manifest().digest();

        assertThat(a).isEqualTo(again);
        assertThat(a.equals(b)).isEqualTo(first.equals(second));
    }

    // --- generators

    @Provide
    Arbitrary<Tag> tags() {
        return Arbitraries.strings().withChars("abcxyzABC0123456789._-").ofMinLength(0).ofMaxLength(40)
                .map(rest -> Tag.of("v" + rest));
    }

    @Provide
    Arbitrary<ObjectNode> ociManifests() {
        return Combinators.combine(extraFields(), annotations(), Arbitraries.integers().between(0, 4), Arbitraries.of(true, false))
                .as((extra, annotations, layers, declareMediaType) -> {
                    ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2);
                    if (declareMediaType) {
                        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
                    }
                    manifest.set("config", descriptor(MediaTypes.OCI_CONFIG, 0));
                    ArrayNode layerList = manifest.putArray("layers");
                    for (int i = 0; i < layers; i++) {
                        layerList.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", i + 1));
                    }
                    extra.forEach((name, value) -> manifest.set(name, value));
                    annotations.ifPresent(node -> manifest.set("annotations", node));
                    return manifest;
                });
    }

    @Provide
    Arbitrary<ObjectNode> ociIndexes() {
        return Combinators.combine(extraFields(), annotations(), platformLists()).as((extra, annotations, platforms) -> {
            ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode children = index.putArray("manifests");
            for (int i = 0; i < platforms.size(); i++) {
                children.add(descriptor(MediaTypes.OCI_MANIFEST, i).set("platform", platforms.get(i)));
            }
            annotations.ifPresent(node -> index.set("annotations", node));
            extra.forEach((name, value) -> index.set(name, value));
            return index;
        });
    }

    @Provide
    Arbitrary<ObjectNode> dockerConfigs() {
        Arbitrary<Integer> labelsShape = Arbitraries.integers().between(0, 3); // absent, null, empty, some
        Arbitrary<Boolean> hasRuntimeConfig = Arbitraries.of(true, false);
        return Combinators.combine(extraFields(), extraFields(), labelsShape, hasRuntimeConfig, labelValues())
                .as((extraTop, extraRuntime, shape, runtime, labels) -> {
                    ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
                    if (runtime) {
                        ObjectNode inner = config.putObject("config");
                        extraRuntime.forEach((name, value) -> inner.set(name, value));
                        switch (shape) {
                            case 1 -> inner.putNull("Labels");
                            case 2 -> inner.putObject("Labels");
                            case 3 -> labels.forEach(inner.putObject("Labels")::put);
                            default -> { }
                        }
                    }
                    extraTop.forEach((name, value) -> config.set(name, value));
                    config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
                    return config;
                });
    }

    @Provide
    Arbitrary<List<ObjectNode>> platformLists() {
        Arbitrary<ObjectNode> platform = Combinators.combine(
                Arbitraries.of("amd64", "arm64", "arm", "ppc64le", "s390x", "386", "riscv64"),
                Arbitraries.of("linux", "windows"),
                Arbitraries.of("", "v6", "v7", "v8"),
                Arbitraries.strings().numeric().ofMaxLength(6))
                .as((architecture, os, variant, osVersion) -> {
                    ObjectNode node = JSON.createObjectNode().put("architecture", architecture).put("os", os);
                    if (!variant.isEmpty()) {
                        node.put("variant", variant);
                    }
                    if (!osVersion.isEmpty()) {
                        node.put("os.version", "10.0." + osVersion);
                    }
                    return node;
                });
        return platform.list().ofMinSize(1).ofMaxSize(6);
    }

    private static Arbitrary<Map<String, JsonNode>> extraFields() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(JSON.getNodeFactory()::textNode),
                Arbitraries.longs().map(JSON.getNodeFactory()::numberNode),
                Arbitraries.of("1.50", "0.1", "-3e5", "123456789012345678901234567890", "true", "null", "{\"z\":[1,{}]}")
                        .map(ManifestRewriterProperties::parse));
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(name -> "x" + name), value)
                .ofMaxSize(4);
    }

    private static Arbitrary<java.util.Optional<ObjectNode>> annotations() {
        return labelValues().injectNull(0.3).map(values -> {
            if (values == null) {
                return java.util.Optional.empty();
            }
            ObjectNode node = JSON.createObjectNode();
            values.forEach(node::put);
            return java.util.Optional.of(node);
        });
    }

    private static Arbitrary<Map<String, String>> labelValues() {
        return Arbitraries.maps(Arbitraries.strings().withChars("abcdef.-/").ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().ofMaxLength(16)).ofMaxSize(4);
    }

    private static ObjectNode descriptor(String mediaType, int seed) {
        String digest = "sha256:" + String.format("%064x", seed + 1);
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", 100 + seed);
    }

    /** The output with the marker removed, and its holder removed too when the rewrite created it. */
    private static ObjectNode withoutMarker(ObjectNode output, String holder, ObjectNode input) {
        ObjectNode stripped = output.deepCopy();
        ((ObjectNode) stripped.get(holder)).remove(MARKER);
        if (!input.has(holder)) {
            stripped.remove(holder);
        }
        return stripped;
    }

    private static ObjectNode withoutLabel(ObjectNode configAfter, ObjectNode configBefore) {
        ObjectNode stripped = configAfter.deepCopy();
        ObjectNode runtime = (ObjectNode) stripped.get("config");
        ((ObjectNode) runtime.get("Labels")).remove(MARKER);
        JsonNode runtimeBefore = configBefore.get("config");
        if (runtimeBefore == null) {
            stripped.remove("config");
        } else if (!runtimeBefore.has("Labels")) {
            runtime.remove("Labels");
        } else if (runtimeBefore.get("Labels").isNull()) {
            runtime.putNull("Labels");
        }
        return stripped;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
