package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.text.Echo;
import java.util.List;
import java.util.Optional;

/**
 * Docker v2 schema 2 manifest: the schema has no annotations, so the marker goes into the image config as a label
 * ({@code config.Labels}), which is what {@code docker build --label} would have produced. The new config is a new
 * blob; the manifest changes only in its config descriptor's digest and size.
 */
final class DockerManifestRewrite {

    /** A rewritten schema-2 manifest and the config blob it now points to. */
    record Result(Manifest manifest, Blob config, Digest originalConfig) {
    }

    private DockerManifestRewrite() {
    }

    static Rewrite.Rewritten apply(ObjectNode manifest, Tag tag, ContentSource source) {
        Result result = rewrite(manifest, tag, source, "Docker image manifest");
        return new Rewrite.Rewritten(result.manifest(), List.of(result.config()), List.of(),
                "added label " + RetagMarker.KEY + "=" + tag + " to the image config (config "
                        + result.originalConfig().shortForm() + " -> " + result.config().digest().shortForm()
                        + "); layers unchanged");
    }

    static Result rewrite(ObjectNode manifest, Tag tag, ContentSource source, String kind) {
        ImageShape.requireImage(manifest, MediaTypes.DOCKER_CONFIG, kind);
        Digest configDigest = configDigest(manifest, kind);
        ObjectNode config = readConfig(configDigest, source);
        ObjectNode runtimeConfig = ManifestJson.objectField(config, "config", "image config");
        RetagMarker.put(runtimeConfig, "Labels", tag, "image config .config");
        Blob newConfig = Blob.of(ManifestJson.write(config));

        ObjectNode rewritten = manifest.deepCopy();
        ObjectNode descriptor = (ObjectNode) rewritten.get("config");
        descriptor.put("digest", newConfig.digest().value());
        descriptor.put("size", newConfig.content().length);
        Manifest out = Manifest.of(ManifestJson.write(rewritten), MediaTypes.DOCKER_MANIFEST);
        return new Result(out, newConfig, configDigest);
    }

    static boolean carriesMarker(ObjectNode manifest, Tag tag, ContentSource source) {
        try {
            ObjectNode config = readConfig(configDigest(manifest, "Docker image manifest"), source);
            return config.get("config") instanceof ObjectNode runtimeConfig
                    && RetagMarker.isIn(runtimeConfig, "Labels", tag);
        } catch (NotRewritableException unreadable) {
            return false;
        }
    }

    private static Digest configDigest(ObjectNode manifest, String kind) {
        String value = ManifestJson.text(manifest.get("config"), "digest");
        try {
            return Digest.of(value);
        } catch (IllegalArgumentException e) {
            throw new NotRewritableException("the " + kind + " names its config by an unsupported digest '"
                    + Echo.of(value) + "'");
        }
    }

    private static ObjectNode readConfig(Digest digest, ContentSource source) {
        Optional<byte[]> bytes = source.blob(digest);
        if (bytes.isEmpty()) {
            throw new NotRewritableException("the image config blob " + digest + " is missing from the repository");
        }
        if (!Digest.sha256(bytes.get()).equals(digest)) {
            throw new NotRewritableException("the image config blob " + digest + " does not match its digest");
        }
        return ManifestJson.parseObject(bytes.get(), "the image config blob " + digest);
    }
}
