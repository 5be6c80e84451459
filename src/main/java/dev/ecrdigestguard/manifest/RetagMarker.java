package dev.ecrdigestguard.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Tag;

/**
 * The one key/value the rewrite adds: an OCI annotation or a Docker config label {@code dev.ecrdigestguard.retag}
 * whose value is the tag re-tagged. Naming the tag (not just "rewritten") keeps two production tags that shared a
 * digest on two different digests after both are re-tagged, and lets the guard recognise its own push.
 */
final class RetagMarker {

    static final String KEY = "dev.ecrdigestguard.retag";

    private RetagMarker() {
    }

    /** Sets the marker in {@code owner.<field>}, creating that object at the end of {@code owner} if absent. */
    static void put(ObjectNode owner, String field, Tag tag, String where) {
        ManifestJson.objectField(owner, field, where).put(KEY, tag.value());
    }

    static boolean isIn(ObjectNode owner, String field, Tag tag) {
        return owner != null && tag.value().equals(ManifestJson.text(owner.get(field), KEY));
    }
}
