package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** {@code HEAD /v2/<name>/manifests/<reference>}: the digest a tag points to, without downloading the manifest. */
final class ManifestChecker {

    private final RegistryHttp http;
    private final ManifestPuller puller;

    ManifestChecker(RegistryHttp http, ManifestPuller puller) {
        this.http = http;
        this.puller = puller;
    }

    Optional<Digest> digestOf(RepositoryName repository, String reference) {
        RegistryRequest request = RegistryRequest.head(http.repositoryUri(repository, "manifests/" + reference),
                RegistryHttp.pullScope(repository), Map.of("Accept", ManifestPuller.ACCEPT));
        HttpResponse<byte[]> response = http.send(request);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw RegistryHttp.failure(request, response);
        }
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent()) {
            return Optional.of(Digest.of(header.get()));
        }
        // The header is only a SHOULD in the distribution spec; without it, the content itself tells.
        return puller.pull(repository, reference).map(manifest -> manifest.digest());
    }
}
