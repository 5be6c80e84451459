package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.RegistryException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Monolithic upload in two steps, as the distribution spec describes it: {@code POST /v2/<name>/blobs/uploads/}
 * opens a session and answers its {@code Location}; {@code PUT <location>?digest=<digest>} sends the bytes and
 * closes it. Blobs the repository already holds are skipped.
 */
final class BlobPusher {

    private final RegistryHttp http;
    private final BlobChecker checker;

    BlobPusher(RegistryHttp http, BlobChecker checker) {
        this.http = http;
        this.checker = checker;
    }

    void push(RepositoryName repository, Digest digest, byte[] content) {
        Digest actual = Digest.sha256(content);
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("blob to push has sha256 " + actual + ", not " + digest);
        }
        if (checker.exists(repository, digest)) {
            return;
        }
        String scope = RegistryHttp.pushScope(repository);
        RegistryRequest open = new RegistryRequest("POST", http.repositoryUri(repository, "blobs/uploads/"),
                Map.of(), null, scope);
        HttpResponse<byte[]> opened = http.send(open);
        if (opened.statusCode() != 202) {
            throw RegistryHttp.failure(open, opened);
        }
        String location = opened.headers().firstValue("Location").orElseThrow(() ->
                new RegistryException(open.describe() + " opened an upload without a Location header", false));
        URI session = opened.request().uri().resolve(location);
        String separator = session.getRawQuery() == null ? "?" : "&";
        URI close = URI.create(session + separator + "digest=" + URLEncoder.encode(digest.value(), StandardCharsets.UTF_8));
        RegistryRequest put = new RegistryRequest("PUT", close, Map.of("Content-Type", "application/octet-stream"),
                content, scope);
        HttpResponse<byte[]> stored = http.send(put);
        if (stored.statusCode() != 201 && stored.statusCode() != 204) {
            throw RegistryHttp.failure(put, stored);
        }
    }
}
