package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.manifest.MediaTypes;
import dev.ecrdigestguard.registry.RegistryException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v2/<name>/manifests/<reference>}, accepting every image, index and artifact manifest type. */
final class ManifestPuller {

    static final String ACCEPT = String.join(", ", MediaTypes.ACCEPTED_MANIFESTS);

    private final RegistryHttp http;

    ManifestPuller(RegistryHttp http) {
        this.http = http;
    }

    Optional<Manifest> pull(RepositoryName repository, String reference) {
        RegistryRequest request = RegistryRequest.get(http.repositoryUri(repository, "manifests/" + reference),
                RegistryHttp.pullScope(repository), Map.of("Accept", ACCEPT));
        HttpResponse<byte[]> response = http.send(request);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw RegistryHttp.failure(request, response);
        }
        byte[] bytes = response.body();
        Digest actual = Digest.sha256(bytes);
        // A registry that reformats a manifest on the way out breaks every digest-pinned pull; refuse to work on it.
        Optional<String> announced = reference.startsWith("sha256:")
                ? Optional.of(reference)
                : response.headers().firstValue("Docker-Content-Digest");
        if (announced.isPresent() && !announced.get().equals(actual.value())) {
            throw new RegistryException(request.describe() + " returned a manifest whose sha256 is " + actual
                    + ", not " + announced.get(), false);
        }
        return Optional.of(new Manifest(bytes, mediaType(response, bytes), actual));
    }

    /** The served type; when a registry serves a generic one, the type the manifest declares. */
    private static String mediaType(HttpResponse<byte[]> response, byte[] bytes) {
        String served = RegistryHttp.contentType(response);
        if (MediaTypes.ACCEPTED_MANIFESTS.contains(served)) {
            return served;
        }
        try {
            JsonNode declared = Json.mapper().readTree(bytes).path("mediaType");
            return declared.isTextual() ? declared.asText() : served;
        } catch (IOException notJson) {
            return served;
        }
    }
}
