package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.text.Echo;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ImageRegistry} over the OCI Distribution API, for a local {@code docker-registry} or any registry that
 * speaks it, with anonymous, basic or bearer-token authentication. Each operation lives in its own small class;
 * this one only wires them to one shared {@link HttpClient}.
 */
public final class OciRegistryClient implements ImageRegistry {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ManifestPuller manifestPuller;
    private final ManifestPusher manifestPusher;
    private final BlobPuller blobPuller;
    private final BlobPusher blobPusher;
    private final TagLister tagLister;
    private final ReferrersFinder referrersFinder;

    private OciRegistryClient(RegistryHttp http) {
        this.manifestPuller = new ManifestPuller(http);
        ManifestChecker manifestChecker = new ManifestChecker(http, manifestPuller);
        this.manifestPusher = new ManifestPusher(http, manifestChecker);
        this.blobPuller = new BlobPuller(http);
        this.blobPusher = new BlobPusher(http, new BlobChecker(http));
        this.tagLister = new TagLister(http);
        this.referrersFinder = new ReferrersFinder(http, tagLister, manifestChecker);
    }

    /** A client for the registry at {@code endpoint}, e.g. {@code http://127.0.0.1:5000} or {@code https://ghcr.io}. */
    public static OciRegistryClient create(URI endpoint, RegistryCredentials credentials) {
        return create(endpoint, credentials, DEFAULT_TIMEOUT);
    }

    public static OciRegistryClient create(URI endpoint, RegistryCredentials credentials, Duration timeout) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = endpoint == null ? null : endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null
                || !(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || endpoint.getRawPath().equals("/"))
                || endpoint.getRawQuery() != null) {
            throw new IllegalArgumentException("invalid registry URL '" + Echo.of(String.valueOf(endpoint))
                    + "': expected http(s)://host[:port] without a path");
        }
        // Redirects are followed by hand (see BlobPuller) so credentials never travel to a storage host.
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new OciRegistryClient(new RegistryHttp(endpoint, client, timeout, credentials));
    }

    @Override
    public Optional<Manifest> fetchManifest(RepositoryName repository, String reference) {
        return manifestPuller.pull(repository, validReference(reference));
    }

    @Override
    public Optional<byte[]> fetchBlob(RepositoryName repository, Digest digest) {
        return blobPuller.pull(repository, digest);
    }

    @Override
    public void pushBlob(RepositoryName repository, Digest digest, byte[] content) {
        blobPusher.push(repository, digest, content);
    }

    @Override
    public PushOutcome pushManifest(RepositoryName repository, Optional<Tag> tag, Manifest manifest) {
        return manifestPusher.push(repository, tag, manifest);
    }

    @Override
    public List<Tag> listTags(RepositoryName repository) {
        return tagLister.list(repository);
    }

    @Override
    public List<Digest> referrers(RepositoryName repository, Digest digest) {
        return referrersFinder.find(repository, digest);
    }

    /** Plain registries have no tag immutability setting: any tag can be moved by whoever may push. */
    @Override
    public TagMutability tagMutability(RepositoryName repository, Tag tag) {
        return TagMutability.MUTABLE;
    }

    /** A reference goes into the URL path unescaped, so it must be a valid tag or digest. */
    private static String validReference(String reference) {
        if (reference != null && reference.startsWith("sha256:")) {
            return Digest.of(reference).value();
        }
        return Tag.of(reference).value();
    }
}
