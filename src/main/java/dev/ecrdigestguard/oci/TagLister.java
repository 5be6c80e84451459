package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code GET /v2/<name>/tags/list}, following {@code Link: <...>; rel="next"} pages to the end. */
final class TagLister {

    static final int PAGE_SIZE = 1000;

    private final RegistryHttp http;

    TagLister(RegistryHttp http) {
        this.http = http;
    }

    List<Tag> list(RepositoryName repository) {
        List<Tag> tags = new ArrayList<>();
        Optional<URI> page = Optional.of(http.repositoryUri(repository, "tags/list?n=" + PAGE_SIZE));
        while (page.isPresent()) {
            RegistryRequest request = RegistryRequest.get(page.get(), RegistryHttp.pullScope(repository),
                    Map.of("Accept", "application/json"));
            HttpResponse<byte[]> response = http.send(request);
            if (response.statusCode() == 404) {
                return List.of();
            }
            if (response.statusCode() != 200) {
                throw RegistryHttp.failure(request, response);
            }
            for (JsonNode tag : body(request, response).path("tags")) {
                tags.add(Tag.of(tag.asText()));
            }
            page = RegistryHttp.nextPage(response);
        }
        return List.copyOf(tags);
    }

    private static JsonNode body(RegistryRequest request, HttpResponse<byte[]> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(request.describe() + " returned invalid JSON", false, e);
        }
    }
}
