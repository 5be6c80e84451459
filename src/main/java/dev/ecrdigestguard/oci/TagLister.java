package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.registry.PageGuard;
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
    /** 1,000 pages: a million tags at the page size asked for, 100,000 where a registry caps pages at 100. */
    static final int MAX_PAGES = 1_000;

    private final RegistryHttp http;

    TagLister(RegistryHttp http) {
        this.http = http;
    }

    List<Tag> list(RepositoryName repository) {
        List<Tag> tags = new ArrayList<>();
        Optional<URI> page = Optional.of(http.repositoryUri(repository, "tags/list?n=" + PAGE_SIZE));
        PageGuard pages = new PageGuard(MAX_PAGES, problem -> new RegistryException("listing the tags of "
                + repository + ": " + problem, false));
        do {
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
                tags.add(tag(request, tag));
            }
            page = RegistryHttp.nextPage(response);
        } while (pages.hasNext(page.map(URI::toString).orElse(null)));
        return List.copyOf(tags);
    }

    private static Tag tag(RegistryRequest request, JsonNode tag) {
        try {
            return Tag.of(tag.isTextual() ? tag.asText() : tag.toString());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(request.describe() + " returned an " + e.getMessage(), false, e);
        }
    }

    private static JsonNode body(RegistryRequest request, HttpResponse<byte[]> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(request.describe() + " returned invalid JSON", false, e);
        }
    }
}
