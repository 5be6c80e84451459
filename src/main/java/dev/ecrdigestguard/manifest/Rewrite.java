package dev.ecrdigestguard.manifest;

import dev.ecrdigestguard.image.Blob;
import dev.ecrdigestguard.image.Manifest;
import java.util.List;
import java.util.Objects;

/** What {@link ManifestRewriter#makeUnique} made of a manifest: a rewritten one, or a reason it can't be done. */
public sealed interface Rewrite {

    /**
     * The rewritten manifest and what must reach the registry before it, in order: {@code blobs} first (new
     * configs), then {@code children} by digest (rebuilt members of a manifest list), then {@code manifest}
     * under the tag.
     *
     * @param change one sentence for the alert saying what differs from the original
     */
    record Rewritten(Manifest manifest, List<Blob> blobs, List<Manifest> children, String change) implements Rewrite {

        public Rewritten {
            Objects.requireNonNull(manifest, "manifest");
            blobs = List.copyOf(blobs);
            children = List.copyOf(children);
            Objects.requireNonNull(change, "change");
        }
    }

    /** The manifest is not rewritten; {@code reason} tells a human why (it goes into the alert). */
    record NotRewritable(String reason) implements Rewrite {

        public NotRewritable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
