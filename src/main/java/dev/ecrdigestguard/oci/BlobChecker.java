package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import java.net.http.HttpResponse;
import java.util.Map;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository already holds a blob. */
final class BlobChecker {

    private final RegistryHttp http;

    BlobChecker(RegistryHttp http) {
        this.http = http;
    }

    boolean exists(RepositoryName repository, Digest digest) {
        RegistryRequest request = RegistryRequest.head(http.repositoryUri(repository, "blobs/" + digest.value()),
                RegistryHttp.pullScope(repository), Map.of());
        HttpResponse<byte[]> response = http.send(request);
        // A redirect means the content sits in object storage: it exists.
        if (response.statusCode() == 200 || response.statusCode() == 307 || response.statusCode() == 302) {
            return true;
        }
        if (response.statusCode() == 404) {
            return false;
        }
        throw RegistryHttp.failure(request, response);
    }
}
