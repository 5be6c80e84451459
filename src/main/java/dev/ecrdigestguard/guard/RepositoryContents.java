package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One repository as {@link RepositoryScan} read it through the {@link ImageCatalog}: every image, and the lifecycle
 * policy text when the repository has one.
 *
 * @param images wrapped, not copied: a repository may hold 100,000 images, and the scan hands its list over and
 *               keeps no reference
 */
public record RepositoryContents(RepositoryName repository, List<ImageRecord> images, Optional<String> lifecyclePolicy) {

    public RepositoryContents {
        Objects.requireNonNull(repository, "repository");
        images = Collections.unmodifiableList(images);
        Objects.requireNonNull(lifecyclePolicy, "lifecyclePolicy");
    }
}
