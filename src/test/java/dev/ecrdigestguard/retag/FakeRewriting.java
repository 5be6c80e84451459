package dev.ecrdigestguard.retag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.manifest.ContentSource;
import dev.ecrdigestguard.manifest.Rewrite.NotRewritable;
import dev.ecrdigestguard.manifest.Rewrite.Rewritten;
import dev.ecrdigestguard.manifest.Rewrite;
import dev.ecrdigestguard.testing.JsonTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the real rewriter with the same shape of behaviour: OCI manifests get an annotation, Docker images a
 * config label (a new blob), Docker manifest lists every child rebuilt; anything else is not rewritable. Deterministic.
 */
public final class FakeRewriting implements ManifestRewriting {

    public static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String KEY = "dev.ecrdigestguard.retag";

    @Override
    public Rewrite makeUnique(Manifest manifest, Tag tag, ContentSource content) {
        switch (manifest.mediaType()) {
            case OCI: {
                ObjectNode root = parse(manifest.bytes());
                root.withObject("/annotations").put(KEY, tag.value());
                return new Rewritten(manifest(root, OCI), List.of(), List.of(), "annotation " + KEY + "=" + tag);
            }
            case DOCKER: {
                List<Blob> blobs = new ArrayList<>();
                Manifest rewritten = docker(manifest, tag, content, blobs);
                return new Rewritten(rewritten, blobs, List.of(), "config label " + KEY + "=" + tag);
            }
            case DOCKER_LIST: {
                ObjectNode root = parse(manifest.bytes());
                List<Blob> blobs = new ArrayList<>();
                List<Manifest> children = new ArrayList<>();
                for (JsonNode entry : (ArrayNode) root.get("manifests")) {
                    Manifest child = content.manifest(Digest.of(entry.get("digest").asText())).orElseThrow();
                    Manifest rebuilt = docker(child, tag, content, blobs);
                    children.add(rebuilt);
                    ((ObjectNode) entry).put("digest", rebuilt.digest().value()).put("size", rebuilt.bytes().length);
                }
                return new Rewritten(manifest(root, DOCKER_LIST), blobs, children,
                        "config label " + KEY + "=" + tag + " on every platform");
            }
            default:
                return new NotRewritable(manifest.mediaType() + " is not an image type this tool rewrites");
        }
    }

    @Override
    public boolean carriesMarker(Manifest manifest, Tag tag, ContentSource content) {
        ObjectNode root = parse(manifest.bytes());
        if (OCI.equals(manifest.mediaType())) {
            return tag.value().equals(root.path("annotations").path(KEY).asText(null));
        }
        if (DOCKER.equals(manifest.mediaType())) {
            byte[] config = content.blob(Digest.of(root.get("config").get("digest").asText())).orElseThrow();
            return tag.value().equals(parse(config).path("config").path("Labels").path(KEY).asText(null));
        }
        return false;
    }

    private static Manifest docker(Manifest manifest, Tag tag, ContentSource content, List<Blob> blobs) {
        ObjectNode root = parse(manifest.bytes());
        ObjectNode configRef = (ObjectNode) root.get("config");
        byte[] config = content.blob(Digest.of(configRef.get("digest").asText())).orElseThrow();
        ObjectNode configJson = parse(config);
        configJson.withObject("/config").withObject("/Labels").put(KEY, tag.value());
        byte[] newConfig = JsonTrees.write(configJson).getBytes(StandardCharsets.UTF_8);
        Blob blob = new Blob(Digest.sha256(newConfig), newConfig);
        blobs.add(blob);
        configRef.put("digest", blob.digest().value()).put("size", newConfig.length);
        return manifest(root, DOCKER);
    }

    private static Manifest manifest(ObjectNode root, String mediaType) {
        return Manifest.of(JsonTrees.write(root).getBytes(StandardCharsets.UTF_8), mediaType);
    }

    static ObjectNode parse(byte[] bytes) {
        try {
            return (ObjectNode) Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
