package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The catalog view of an in-memory registry, so the guard and the re-tag see the same tags: an image's tags are
 * those pointing at its digest when asked. No lifecycle policy.
 */
public final class RegistryCatalog implements ImageCatalog {

    private final InMemoryRegistry registry;

    public RegistryCatalog(InMemoryRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
        List<Tag> tags = registry.listTags(repository).stream()
                .filter(tag -> registry.digestOf(tag.value()).orElseThrow().equals(digest)).toList();
        return Optional.of(ImageRecord.of(digest, tags, Instant.parse("2022-10-01T00:00:00Z")));
    }

    @Override
    public Optional<String> lifecyclePolicyText(RepositoryName repository) {
        return Optional.empty();
    }

    @Override
    public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
    }
}
