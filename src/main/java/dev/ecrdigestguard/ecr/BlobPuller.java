package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.LayerInaccessibleException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Reads a blob (in practice a config, a few kilobytes): {@code GetDownloadUrlForLayer} gives a pre-signed URL, an
 * HTTPS GET fetches it, and the content is checked against the digest before anyone uses it.
 */
final class BlobPuller {

    /** Configs are kilobytes; a layer-sized answer means we were asked for the wrong thing. Guards Lambda memory. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private final EcrClient ecr;
    private final HttpClient http;

    BlobPuller(EcrClient ecr, HttpClient http) {
        this.ecr = ecr;
        this.http = http;
    }

    Optional<byte[]> pull(RepositoryName repository, Digest digest) {
        String url;
        try {
            url = ecr.getDownloadUrlForLayer(request -> request
                    .repositoryName(repository.value())
                    .layerDigest(digest.value())).downloadUrl();
        } catch (LayersNotFoundException | RepositoryNotFoundException e) {
            return Optional.empty();
        } catch (LayerInaccessibleException e) {
            throw EcrFailures.failure("ecr:GetDownloadUrlForLayer", repository, "blob " + digest, e, false);
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:GetDownloadUrlForLayer", repository, "blob " + digest, e);
        }
        byte[] content = download(repository, digest, url);
        Digest actual = Digest.sha256(content);
        if (!actual.equals(digest)) {
            // A truncated or corrupted transfer; a new download can succeed.
            throw new RegistryException("blob " + digest + " downloaded from repository '" + repository
                    + "' hashes to " + actual + "; refusing to use it", true);
        }
        return Optional.of(content);
    }

    private byte[] download(RepositoryName repository, Digest digest, String url) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryException("downloading blob " + digest + " of repository '" + repository + "' failed: "
                    + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while downloading blob " + digest, true, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                // 403 from a pre-signed URL usually means it expired before we used it: ask for a new one.
                throw new RegistryException("downloading blob " + digest + " of repository '" + repository
                        + "' answered HTTP " + response.statusCode(), true);
            }
            byte[] content = body.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new RegistryException("blob " + digest + " of repository '" + repository + "' is larger than "
                        + MAX_BYTES + " bytes; only image configs are read, and they are far smaller", false);
            }
            return content;
        } catch (IOException e) {
            throw new RegistryException("reading blob " + digest + " of repository '" + repository + "' failed: "
                    + e.getMessage(), true, e);
        }
    }
}
