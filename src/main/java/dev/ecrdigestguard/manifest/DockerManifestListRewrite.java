package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.text.Echo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Docker manifest list: no annotations here either, so every platform image is rebuilt with the label and the list
 * points at the rebuilt images. Each entry keeps its platform and every other field; only digest and size change.
 * Either every entry is rebuilt or the list is refused: a list that silently lost a platform breaks the pulls of
 * that platform on the next deploy.
 */
final class DockerManifestListRewrite {

    private DockerManifestListRewrite() {
    }

    static Rewrite.Rewritten apply(ObjectNode list, Tag tag, ContentSource source) {
        ArrayNode entries = entries(list);
        ObjectNode rewritten = list.deepCopy();
        ArrayNode rewrittenEntries = (ArrayNode) rewritten.get("manifests");
        // The same image may serve two platforms (e.g. linux/arm64 and linux/arm64/v8): rebuild it once.
        Map<Digest, DockerManifestRewrite.Result> byOriginal = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "manifest list entry " + (i + 1) + " (" + platform(entry) + ")";
            Digest child = childDigest(entry, where);
            DockerManifestRewrite.Result result = byOriginal.get(child);
            if (result == null) {
                result = DockerManifestRewrite.rewrite(readChild(child, where, source), tag, source, where);
                byOriginal.put(child, result);
            }
            ObjectNode descriptor = (ObjectNode) rewrittenEntries.get(i);
            descriptor.put("digest", result.manifest().digest().value());
            descriptor.put("size", result.manifest().bytes().length);
        }
        Manifest out = Manifest.of(ManifestJson.write(rewritten), MediaTypes.DOCKER_MANIFEST_LIST);
        List<Blob> configs = new ArrayList<>();
        List<Manifest> children = new ArrayList<>();
        for (DockerManifestRewrite.Result result : byOriginal.values()) {
            configs.add(result.config());
            children.add(result.manifest());
        }
        return new Rewrite.Rewritten(out, configs, children,
                "added label " + RetagMarker.KEY + "=" + tag + " to the image config of all " + entries.size()
                        + " platforms and rebuilt the manifest list; layers and platforms unchanged");
    }

    /**
     * Marked when every platform image carries the marker: that is what {@link #apply} produces. Each distinct image
     * is read once, as {@link #apply} rebuilds it once: a list naming one image for 3,000 platforms costs one read of
     * it and its config, not 3,000 (this check runs on every event of a re-tag, the tool's own push included).
     */
    static boolean carriesMarker(ObjectNode list, Tag tag, ContentSource source) {
        try {
            Set<Digest> children = new LinkedHashSet<>();
            for (JsonNode entry : entries(list)) {
                children.add(childDigest(entry, "manifest list entry"));
            }
            for (Digest child : children) {
                if (!DockerManifestRewrite.carriesMarker(readChild(child, "manifest list entry", source), tag, source)) {
                    return false;
                }
            }
            return true;
        } catch (NotRewritableException unreadable) {
            return false;
        }
    }

    private static ArrayNode entries(ObjectNode list) {
        if (!(list.get("manifests") instanceof ArrayNode entries) || entries.isEmpty()) {
            throw new NotRewritableException("the Docker manifest list lists no platforms");
        }
        return entries;
    }

    private static Digest childDigest(JsonNode entry, String where) {
        String type = ManifestJson.text(entry, "mediaType");
        if (!MediaTypes.DOCKER_MANIFEST.equals(type)) {
            throw new NotRewritableException(where + " is of type " + type
                    + "; only Docker v2 schema 2 images can be rebuilt inside a Docker manifest list");
        }
        String digest = ManifestJson.text(entry, "digest");
        try {
            return Digest.of(digest);
        } catch (IllegalArgumentException e) {
            throw new NotRewritableException(where + " has an unsupported digest '" + Echo.of(digest) + "'");
        }
    }

    private static ObjectNode readChild(Digest child, String where, ContentSource source) {
        Optional<Manifest> manifest = source.manifest(child);
        if (manifest.isEmpty()) {
            throw new NotRewritableException(where + ": image " + child + " is missing from the repository");
        }
        ObjectNode node = ManifestJson.parseObject(manifest.get().bytes(), where);
        String declared = ManifestJson.text(node, "mediaType");
        if (!MediaTypes.DOCKER_MANIFEST.equals(declared)) {
            throw new NotRewritableException(where + ": image " + child + " declares media type " + declared);
        }
        return node;
    }

    private static String platform(JsonNode entry) {
        JsonNode platform = entry.get("platform");
        if (platform == null) {
            return "no platform";
        }
        String os = ManifestJson.text(platform, "os");
        String architecture = ManifestJson.text(platform, "architecture");
        String variant = ManifestJson.text(platform, "variant");
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
