package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What re-tagging needs from manifest rewriting (the pure {@code image.ManifestRewriter}): a deterministic rewrite
 * that gives an image a digest of its own for one tag, and a way to recognise such a rewrite. Kept as a seam so the
 * orchestration is specified with a simple stand-in and the rewriter with its own property tests.
 */
public interface ManifestRewriting {

    /** The program's rewriter, {@code image.ManifestRewriter}. */
    static ManifestRewriting standard() {
        return new ImageManifestRewriting();
    }

    /**
     * A rewrite of {@code manifest} for {@code tag}. Must be a function of the manifest, the tag and the content it
     * reads, so the same event handled twice gives the same digest.
     */
    Result makeUnique(Manifest manifest, Tag tag, Content content);

    /** Whether {@code manifest} already is this tool's rewrite for {@code tag} (its own push raising a new event). */
    boolean isRewriteFor(Manifest manifest, Tag tag, Content content);

    /** Where a rewrite reads what a manifest refers to; backed by the registry. */
    interface Content {
        Optional<byte[]> blob(Digest digest);

        Optional<Manifest> manifest(Digest digest);
    }

    /** A blob the rewrite created (a Docker config with one more label), to upload before the manifest. */
    record NewBlob(Digest digest, byte[] content) {
        public NewBlob {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(content, "content");
            if (!Digest.sha256(content).equals(digest)) {
                throw new IllegalArgumentException("blob content does not hash to " + digest);
            }
        }
    }

    sealed interface Result {
    }

    /**
     * The new manifest and what must reach the registry first, in order: {@code blobs}, then {@code children} (by
     * digest), then {@code manifest} under the tag.
     *
     * @param change one sentence for the alert: what differs from the original
     */
    record Rewritten(Manifest manifest, List<NewBlob> blobs, List<Manifest> children, String change)
            implements Result {
        public Rewritten {
            Objects.requireNonNull(manifest, "manifest");
            blobs = List.copyOf(blobs);
            children = List.copyOf(children);
            Objects.requireNonNull(change, "change");
        }
    }

    /** The manifest can't be rewritten safely; {@code reason} goes into the alert. */
    record NotRewritable(String reason) implements Result {
        public NotRewritable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
