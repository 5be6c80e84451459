package dev.ecrdigestguard.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.MediaTypes;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.registry.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Manifests that sign, attest or describe an image. Registries that implement the OCI 1.1 referrers API answer
 * {@code GET /v2/<name>/referrers/<digest>} with an index; older ones answer 404, and there the only trace of a
 * signature is the cosign convention of tags named after the digest: {@code sha256-<hex>.sig}, {@code .att},
 * {@code .sbom} (also what the OCI 1.1 spec's referrers tag schema {@code sha256-<hex>} falls back to).
 */
final class ReferrersFinder {

    private static final List<String> FALLBACK_SUFFIXES = List.of("", ".sig", ".att", ".sbom");

    private final RegistryHttp http;
    private final TagLister tags;
    private final ManifestChecker checker;

    ReferrersFinder(RegistryHttp http, TagLister tags, ManifestChecker checker) {
        this.http = http;
        this.tags = tags;
        this.checker = checker;
    }

    List<Digest> find(RepositoryName repository, Digest subject) {
        return fromApi(repository, subject).orElseGet(() -> fromTags(repository, subject));
    }

    private Optional<List<Digest>> fromApi(RepositoryName repository, Digest subject) {
        List<Digest> found = new ArrayList<>();
        Optional<URI> page = Optional.of(http.repositoryUri(repository, "referrers/" + subject.value()));
        while (page.isPresent()) {
            RegistryRequest request = RegistryRequest.get(page.get(), RegistryHttp.pullScope(repository),
                    Map.of("Accept", MediaTypes.OCI_INDEX));
            HttpResponse<byte[]> response = http.send(request);
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw RegistryHttp.failure(request, response);
            }
            try {
                for (JsonNode descriptor : Json.mapper().readTree(response.body()).path("manifests")) {
                    found.add(Digest.of(descriptor.path("digest").asText()));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new RegistryException(request.describe() + " returned an invalid referrers index", false, e);
            }
            page = RegistryHttp.nextPage(response);
        }
        return Optional.of(List.copyOf(found));
    }

    private List<Digest> fromTags(RepositoryName repository, Digest subject) {
        String prefix = "sha256-" + subject.hex();
        Set<String> present = Set.copyOf(tags.list(repository).stream().map(Tag::value).toList());
        List<Digest> found = new ArrayList<>();
        for (String suffix : FALLBACK_SUFFIXES) {
            if (present.contains(prefix + suffix)) {
                checker.digestOf(repository, prefix + suffix).ifPresent(found::add);
            }
        }
        return List.copyOf(found);
    }
}
