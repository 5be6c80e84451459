package dev.ecrdigestguard.registry;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.manifest.ContentSource;
import java.util.Objects;
import java.util.Optional;

/** Lets the manifest rewriter read configs and child manifests from one repository of a registry. */
public final class RegistryContentSource implements ContentSource {

    private final ImageRegistry registry;
    private final RepositoryName repository;

    public RegistryContentSource(ImageRegistry registry, RepositoryName repository) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Override
    public Optional<byte[]> blob(Digest digest) {
        return registry.fetchBlob(repository, digest);
    }

    @Override
    public Optional<Manifest> manifest(Digest digest) {
        return registry.fetchManifest(repository, digest.value());
    }
}
