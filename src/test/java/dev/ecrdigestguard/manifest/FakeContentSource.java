package dev.ecrdigestguard.manifest;

import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A repository's content held in maps: what the rewriter reads configs and child manifests from in tests. */
final class FakeContentSource implements ContentSource {

    private final Map<Digest, byte[]> blobs = new HashMap<>();
    private final Map<Digest, Manifest> manifests = new HashMap<>();
    private int reads;

    Digest addBlob(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        blobs.put(digest, bytes);
        return digest;
    }

    void addBlob(Blob blob) {
        blobs.put(blob.digest(), blob.content());
    }

    Manifest addManifest(String json, String mediaType) {
        Manifest manifest = Manifest.of(json.getBytes(StandardCharsets.UTF_8), mediaType);
        manifests.put(manifest.digest(), manifest);
        return manifest;
    }

    void addManifest(Manifest manifest) {
        manifests.put(manifest.digest(), manifest);
    }

    /** Stores everything a rewrite produced, as pushing it to the registry would. */
    void store(Rewrite.Rewritten rewritten) {
        rewritten.blobs().forEach(this::addBlob);
        rewritten.children().forEach(this::addManifest);
        addManifest(rewritten.manifest());
    }

    /** Blobs and manifests read so far: each would be a registry call. */
    int reads() {
        return reads;
    }

    @Override
    public Optional<byte[]> blob(Digest digest) {
        reads++;
        return Optional.ofNullable(blobs.get(digest));
    }

    @Override
    public Optional<Manifest> manifest(Digest digest) {
        reads++;
        return Optional.ofNullable(manifests.get(digest));
    }
}
