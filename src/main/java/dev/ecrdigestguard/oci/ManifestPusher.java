package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry.PushOutcome;
import dev.ecrdigestguard.registry.RegistryException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PUT /v2/<name>/manifests/<tag or digest>} with the manifest's own media type as Content-Type. A tag that
 * already points at this exact digest is left alone and reported as {@link PushOutcome#ALREADY_EXISTED}, so a
 * repeated re-tag doesn't count as a second change.
 */
final class ManifestPusher {

    private final RegistryHttp http;
    private final ManifestChecker checker;

    ManifestPusher(RegistryHttp http, ManifestChecker checker) {
        this.http = http;
        this.checker = checker;
    }

    PushOutcome push(RepositoryName repository, Optional<Tag> tag, Manifest manifest) {
        String reference = tag.map(Tag::value).orElse(manifest.digest().value());
        if (checker.digestOf(repository, reference).filter(manifest.digest()::equals).isPresent()) {
            return PushOutcome.ALREADY_EXISTED;
        }
        RegistryRequest request = new RegistryRequest("PUT", http.repositoryUri(repository, "manifests/" + reference),
                Map.of("Content-Type", manifest.mediaType()), manifest.bytes(), RegistryHttp.pushScope(repository));
        HttpResponse<byte[]> response = http.send(request);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw RegistryHttp.failure(request, response);
        }
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        if (stored.isPresent() && !stored.get().equals(manifest.digest().value())) {
            throw new RegistryException(request.describe() + " stored the manifest as " + stored.get()
                    + " instead of " + manifest.digest() + ": the registry rewrote it", false);
        }
        return PushOutcome.CREATED;
    }
}
