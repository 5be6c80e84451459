package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import java.time.Instant;
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

    /**
     * Streams every image, giving up with {@link DeadlinePassedException} once {@code deadline} passes. This default
     * checks between images; an adapter whose pages can be slow also bounds each request by the time left.
     */
    default void forEachImage(RepositoryName repository, Instant deadline, Consumer<ImageRecord> consumer) {
        forEachImage(repository, image -> {
            if (Instant.now().isAfter(deadline)) {
                throw new DeadlinePassedException("listing the images of " + repository, deadline);
            }
            consumer.accept(image);
        });
    }
}
