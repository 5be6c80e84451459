package dev.ecrdigestguard.retag;

import dev.ecrdigestguard.image.ContentSource;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ManifestRewriter;
import dev.ecrdigestguard.image.Rewrite;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.RegistryManifest;
import java.util.Optional;

/**
 * {@link ManifestRewriting} by the program's rewriter, {@link ManifestRewriter}: translates between the registry's
 * {@link RegistryManifest} and the rewriting core's {@link Manifest} (the same three values; the core can't name the
 * registry package).
 */
public final class ImageManifestRewriting implements ManifestRewriting {

    @Override
    public Result makeUnique(RegistryManifest manifest, Tag tag, Content content) {
        Rewrite rewrite = ManifestRewriter.makeUnique(toImage(manifest), tag, source(content));
        if (rewrite instanceof Rewrite.NotRewritable notRewritable) {
            return new NotRewritable(notRewritable.reason());
        }
        Rewrite.Rewritten rewritten = (Rewrite.Rewritten) rewrite;
        return new Rewritten(
                toRegistry(rewritten.manifest()),
                rewritten.blobs().stream().map(blob -> new NewBlob(blob.digest(), blob.content())).toList(),
                rewritten.children().stream().map(ImageManifestRewriting::toRegistry).toList(),
                rewritten.change());
    }

    @Override
    public boolean isRewriteFor(RegistryManifest manifest, Tag tag, Content content) {
        return ManifestRewriter.carriesMarker(toImage(manifest), tag, source(content));
    }

    private static Manifest toImage(RegistryManifest manifest) {
        return new Manifest(manifest.bytes(), manifest.mediaType(), manifest.digest());
    }

    private static RegistryManifest toRegistry(Manifest manifest) {
        return new RegistryManifest(manifest.bytes(), manifest.mediaType(), manifest.digest());
    }

    private static ContentSource source(Content content) {
        return new ContentSource() {
            @Override
            public Optional<byte[]> blob(Digest digest) {
                return content.blob(digest);
            }

            @Override
            public Optional<Manifest> manifest(Digest digest) {
                return content.manifest(digest).map(ImageManifestRewriting::toImage);
            }
        };
    }
}
