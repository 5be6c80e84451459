package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.manifest.ContentSource;
import dev.ecrdigestguard.manifest.ManifestRewriter;
import dev.ecrdigestguard.manifest.Rewrite;

/**
 * The manifest rewriting re-tagging relies on, with the signatures of the pure {@link ManifestRewriter}: a
 * deterministic rewrite that gives an image a digest of its own for one tag, and a way to recognise such a rewrite.
 * Kept as a seam, in the rewriter's own types, so the orchestration is specified with a simple stand-in and the
 * rewriter with its own property tests.
 */
public interface ManifestRewriting {

    /** The program's rewriter, {@link ManifestRewriter}, called straight through. */
    static ManifestRewriting standard() {
        return new ManifestRewriting() {
            @Override
            public Rewrite makeUnique(Manifest manifest, Tag tag, ContentSource source) {
                return ManifestRewriter.makeUnique(manifest, tag, source);
            }

            @Override
            public boolean carriesMarker(Manifest manifest, Tag tag, ContentSource source) {
                return ManifestRewriter.carriesMarker(manifest, tag, source);
            }
        };
    }

    /**
     * A rewrite of {@code manifest} for {@code tag}. Must be a function of the manifest, the tag and the content it
     * reads from {@code source}, so the same event handled twice gives the same digest.
     */
    Rewrite makeUnique(Manifest manifest, Tag tag, ContentSource source);

    /** Whether {@code manifest} already is this tool's rewrite for {@code tag} (its own push raising a new event). */
    boolean carriesMarker(Manifest manifest, Tag tag, ContentSource source);
}
