package dev.ecrdigestguard.manifest;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import java.util.Optional;

/**
 * Where the rewriter reads the content a manifest refers to: the config blob of a Docker image, the children of a
 * Docker manifest list. Backed by the registry in production and by a map in tests; implementations may throw the
 * registry's own unchecked exception, which the rewriter lets through (a retry can fix it).
 */
public interface ContentSource {

    /** The blob with this digest, or empty when the repository doesn't hold it. */
    Optional<byte[]> blob(Digest digest);

    /** The manifest with this digest, or empty when the repository doesn't hold it. */
    Optional<Manifest> manifest(Digest digest);
}
