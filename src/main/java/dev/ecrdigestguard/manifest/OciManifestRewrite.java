package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import java.util.List;

/** OCI image manifest: one manifest-level annotation; config and layers are untouched, so no blob is uploaded. */
final class OciManifestRewrite {

    private OciManifestRewrite() {
    }

    static Rewrite.Rewritten apply(ObjectNode manifest, Tag tag) {
        ImageShape.requireImage(manifest, MediaTypes.OCI_CONFIG, "OCI image manifest");
        ObjectNode rewritten = manifest.deepCopy();
        RetagMarker.put(rewritten, "annotations", tag, "manifest");
        Manifest out = Manifest.of(ManifestJson.write(rewritten), MediaTypes.OCI_MANIFEST);
        return new Rewrite.Rewritten(out, List.of(), List.of(),
                "added annotation " + RetagMarker.KEY + "=" + tag + " to the OCI image manifest; config and layers unchanged");
    }

    static boolean carriesMarker(ObjectNode manifest, Tag tag) {
        return RetagMarker.isIn(manifest, "annotations", tag);
    }
}
