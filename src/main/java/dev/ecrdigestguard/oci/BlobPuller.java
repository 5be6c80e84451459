package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.RegistryException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, verified against the digest. Registries backed by object storage answer
 * with a redirect to a presigned URL; that URL carries its own signature and rejects our Authorization header, so
 * the redirect is followed without it.
 */
final class BlobPuller {

    private static final int MAX_REDIRECTS = 5;

    private final RegistryHttp http;

    BlobPuller(RegistryHttp http) {
        this.http = http;
    }

    Optional<byte[]> pull(RepositoryName repository, Digest digest) {
        RegistryRequest request = RegistryRequest.get(http.repositoryUri(repository, "blobs/" + digest.value()),
                RegistryHttp.pullScope(repository), Map.of());
        HttpResponse<byte[]> response = http.send(request);
        for (int redirects = 0; isRedirect(response.statusCode()); redirects++) {
            if (redirects == MAX_REDIRECTS) {
                throw new RegistryException(request.describe() + " redirected more than " + MAX_REDIRECTS + " times", false);
            }
            Optional<String> target = response.headers().firstValue("Location");
            if (target.isEmpty()) {
                throw new RegistryException(request.describe() + " redirected without a Location", false);
            }
            URI location = response.request().uri().resolve(target.get());
            request = RegistryRequest.get(location, request.scope(), Map.of());
            response = http.sendOnce(request, Optional.empty());
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw RegistryHttp.failure(request, response);
        }
        Digest actual = Digest.sha256(response.body());
        if (!actual.equals(digest)) {
            // Most likely a truncated transfer; a retry downloads it again.
            throw new RegistryException("blob " + digest + " downloaded from " + request.describe()
                    + " has sha256 " + actual, true);
        }
        return Optional.of(response.body());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
