package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.manifest.MediaTypes;
import dev.ecrdigestguard.registry.PageGuard;
import dev.ecrdigestguard.registry.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Manifests that sign, attest or describe an image. Registries that implement the OCI 1.1 referrers API answer
 * {@code GET /v2/<name>/referrers/<digest>} with an index; older ones answer 404. The cosign convention of tags named
 * after the digest ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}, and the OCI 1.1 fallback tag
 * {@code sha256-<hex>}) is checked in both cases, not only after a 404: cosign still writes those tags by default
 * even where the referrers API exists, and missing a signature would let the guard move a signed tag.
 */
final class ReferrersFinder {

    private static final List<String> FALLBACK_SUFFIXES = List.of("", ".sig", ".att", ".sbom");
    /** Pages of the referrers index; registries answer in one or a few, 100 is far beyond any real image. */
    static final int MAX_PAGES = 100;

    private final RegistryHttp http;
    private final TagLister tags;
    private final ManifestChecker checker;

    ReferrersFinder(RegistryHttp http, TagLister tags, ManifestChecker checker) {
        this.http = http;
        this.tags = tags;
        this.checker = checker;
    }

    List<Digest> find(RepositoryName repository, Digest subject) {
        Set<Digest> found = new LinkedHashSet<>(fromApi(repository, subject).orElse(List.of()));
        found.addAll(fromTags(repository, subject));
        return List.copyOf(found);
    }

    private Optional<List<Digest>> fromApi(RepositoryName repository, Digest subject) {
        List<Digest> found = new ArrayList<>();
        Optional<URI> page = Optional.of(http.repositoryUri(repository, "referrers/" + subject.value()));
        PageGuard pages = new PageGuard(MAX_PAGES, problem -> new RegistryException("listing the referrers of "
                + subject + " in " + repository + ": " + problem, false));
        do {
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
        } while (pages.hasNext(page.map(URI::toString).orElse(null)));
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
