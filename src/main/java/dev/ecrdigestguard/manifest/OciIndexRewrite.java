package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import java.util.List;

/**
 * OCI image index: one index-level annotation. The children keep their digests, so attestation manifests inside
 * the index still point at the platform images they describe.
 */
final class OciIndexRewrite {

    private OciIndexRewrite() {
    }

    static Rewrite.Rewritten apply(ObjectNode index, Tag tag) {
        String artifactType = ManifestJson.text(index, "artifactType");
        if (artifactType != null) {
            throw new NotRewritableException("the OCI image index is an artifact of type " + artifactType
                    + ", not a multi-platform image");
        }
        if (index.has("subject")) {
            throw new NotRewritableException("the OCI image index has a subject: it describes "
                    + ManifestJson.text(index.get("subject"), "digest") + " and is not an image itself");
        }
        JsonNode children = index.get("manifests");
        if (children == null || !children.isArray() || children.isEmpty()) {
            throw new NotRewritableException("the OCI image index lists no manifests");
        }
        ObjectNode rewritten = index.deepCopy();
        RetagMarker.put(rewritten, "annotations", tag, "index");
        Manifest out = Manifest.of(ManifestJson.write(rewritten), MediaTypes.OCI_INDEX);
        return new Rewrite.Rewritten(out, List.of(), List.of(),
                "added annotation " + RetagMarker.KEY + "=" + tag + " to the OCI image index; its "
                        + children.size() + " manifests unchanged");
    }

    static boolean carriesMarker(ObjectNode index, Tag tag) {
        return RetagMarker.isIn(index, "annotations", tag);
    }
}
