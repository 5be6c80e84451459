package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.ContentSource;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ManifestRewriter;
import dev.ecrdigestguard.image.Rewrite;
import dev.ecrdigestguard.image.Tag;
import java.util.Optional;

/**
 * {@link ManifestRewriting} by the program's rewriter, {@link ManifestRewriter}: passes the manifest straight through
 * and translates the rewriter's {@link Rewrite} into re-tagging's {@link Result}.
 */
public final class ImageManifestRewriting implements ManifestRewriting {

    @Override
    public Result makeUnique(Manifest manifest, Tag tag, Content content) {
        Rewrite rewrite = ManifestRewriter.makeUnique(manifest, tag, source(content));
        if (rewrite instanceof Rewrite.NotRewritable notRewritable) {
            return new NotRewritable(notRewritable.reason());
        }
        Rewrite.Rewritten rewritten = (Rewrite.Rewritten) rewrite;
        return new Rewritten(
                rewritten.manifest(),
                rewritten.blobs().stream().map(blob -> new NewBlob(blob.digest(), blob.content())).toList(),
                rewritten.children(),
                rewritten.change());
    }

    @Override
    public boolean isRewriteFor(Manifest manifest, Tag tag, Content content) {
        return ManifestRewriter.carriesMarker(manifest, tag, source(content));
    }

    private static ContentSource source(Content content) {
        return new ContentSource() {
            @Override
            public Optional<byte[]> blob(Digest digest) {
                return content.blob(digest);
            }

            @Override
            public Optional<Manifest> manifest(Digest digest) {
                return content.manifest(digest);
            }
        };
    }
}
