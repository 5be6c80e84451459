package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Finds production tags that share the pushed tag's digest. Pure: values in, a finding (or none) out. */
public final class SharedDigestDetector {

    private final ProductionTags productionTags;

    public SharedDigestDetector(ProductionTags productionTags) {
        this.productionTags = productionTags;
    }

    public Optional<SharedDigestFinding> detect(RepositoryName repository, Tag pushedTag, ImageRecord image,
                                                Instant eventTime) {
        List<Tag> others = productionTags.select(image.tags()).stream()
                .filter(tag -> !tag.equals(pushedTag))
                .toList();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SharedDigestFinding(repository, pushedTag, image.digest(), others,
                image.tags().size(), image.pushedAt(), eventTime));
    }
}
