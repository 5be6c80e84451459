package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Read-only view of a repository's images and lifecycle policy: ECR live ({@code aws.EcrImageCatalog}) or a
 * recorded snapshot ({@code snapshot.SnapshotImageCatalog}). Implementations throw
 * {@link CatalogException} on failures, flagged retryable when trying again can help.
 */
public interface ImageCatalog {

    /** The image with this digest, or empty when the repository does not hold it (any more). */
    Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest);

    /** The lifecycle policy JSON text, or empty when the repository has none. */
    Optional<String> lifecyclePolicyText(RepositoryName repository);

    /** Streams every image of the repository, page by page, without holding them all. */
    void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer);
}
