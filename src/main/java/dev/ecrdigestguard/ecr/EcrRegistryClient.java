package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@link ImageRegistry} over the ECR API, one package-private class per operation. IAM actions it needs:
 * {@code ecr:BatchGetImage} (also authorises {@code ListImageReferrers}), {@code ecr:GetDownloadUrlForLayer},
 * {@code ecr:BatchCheckLayerAvailability}, {@code ecr:InitiateLayerUpload}, {@code ecr:UploadLayerPart},
 * {@code ecr:CompleteLayerUpload}, {@code ecr:PutImage}, {@code ecr:DescribeImages},
 * {@code ecr:DescribeRepositories}.
 */
public final class EcrRegistryClient implements ImageRegistry {

    private final ManifestPuller manifests;
    private final BlobPuller blobs;
    private final BlobPusher blobPusher;
    private final ManifestPusher manifestPusher;
    private final TagLister tags;
    private final ImageTagsReader imageTags;
    private final ReferrersLister referrers;
    private final TagMutabilityReader mutability;

    /** {@code http} downloads blobs from the pre-signed URLs ECR hands out; build it once and share it. */
    public EcrRegistryClient(EcrClient ecr, HttpClient http) {
        this.manifests = new ManifestPuller(ecr);
        this.blobs = new BlobPuller(ecr, http);
        this.blobPusher = new BlobPusher(ecr);
        this.manifestPusher = new ManifestPusher(ecr);
        this.tags = new TagLister(ecr);
        this.imageTags = new ImageTagsReader(ecr);
        this.referrers = new ReferrersLister(ecr);
        this.mutability = new TagMutabilityReader(ecr);
    }

    public static EcrRegistryClient create(EcrClient ecr) {
        return new EcrRegistryClient(ecr, blobClient());
    }

    /** The HTTP client for blob downloads (pre-signed URLs, no AWS credentials): one can serve every registry. */
    public static HttpClient blobClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public Optional<Manifest> fetchManifest(RepositoryName repository, String reference) {
        return manifests.pull(repository, reference);
    }

    @Override
    public Optional<byte[]> fetchBlob(RepositoryName repository, Digest digest) {
        return blobs.pull(repository, digest);
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
        return tags.list(repository);
    }

    @Override
    public List<Tag> tagsOf(RepositoryName repository, Digest digest, Predicate<Tag> wanted) {
        return imageTags.tagsOf(repository, digest, wanted);
    }

    @Override
    public List<Digest> referrers(RepositoryName repository, Digest digest) {
        return referrers.list(repository, digest);
    }

    @Override
    public TagMutability tagMutability(RepositoryName repository, Tag tag) {
        return mutability.read(repository, tag);
    }
}
