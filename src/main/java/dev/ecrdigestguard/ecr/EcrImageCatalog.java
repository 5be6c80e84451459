package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.DeadlinePassedException;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageStatus;
import software.amazon.awssdk.services.ecr.model.ImageStatusFilter;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** {@link ImageCatalog} over the ECR API: {@code DescribeImages} and {@code GetLifecyclePolicy}. */
public final class EcrImageCatalog implements ImageCatalog {

    /** The client's own bound on a call (AwsClients.timeouts); a page is held to the time left when that is shorter. */
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

    private final EcrClient ecr;

    public EcrImageCatalog(EcrClient ecr) {
        this.ecr = ecr;
    }

    @Override
    public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
        try {
            DescribeImagesResponse response = ecr.describeImages(request -> request
                    .repositoryName(repository.value())
                    .imageIds(ImageIdentifier.builder().imageDigest(digest.value()).build()));
            return response.imageDetails().stream().findFirst().map(EcrImageCatalog::toRecord);
        } catch (ImageNotFoundException | RepositoryNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("ecr:DescribeImages", "image " + digest + " in repository '" + repository + "'", e);
        }
    }

    @Override
    public Optional<String> lifecyclePolicyText(RepositoryName repository) {
        try {
            return Optional.ofNullable(ecr.getLifecyclePolicy(request -> request.repositoryName(repository.value()))
                    .lifecyclePolicyText());
        } catch (LifecyclePolicyNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("ecr:GetLifecyclePolicy", "repository '" + repository + "'", e);
        }
    }

    @Override
    public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
        forEachImage(repository, Instant.MAX, consumer);
    }

    /**
     * Pages through {@code DescribeImages} one request at a time, so that each page is bounded by the time left: a slow
     * registry stops the walk at the deadline instead of running the function into its timeout.
     */
    @Override
    public void forEachImage(RepositoryName repository, Instant deadline, Consumer<ImageRecord> consumer) {
        String nextToken = null;
        do {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new DeadlinePassedException("listing the images of " + repository, deadline);
            }
            DescribeImagesRequest.Builder request = DescribeImagesRequest.builder()
                    .repositoryName(repository.value())
                    // Archived images count for lifecycle rules on the archive storage class; list them too.
                    .filter(filter -> filter.imageStatus(ImageStatusFilter.ANY))
                    .maxResults(1000)
                    .nextToken(nextToken);
            if (left.compareTo(PAGE_TIMEOUT) < 0) {
                request.overrideConfiguration(call -> call.apiCallTimeout(left));
            }
            DescribeImagesResponse page;
            try {
                page = ecr.describeImages(request.build());
            } catch (SdkException e) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new DeadlinePassedException("listing the images of " + repository, deadline);
                }
                throw failure("ecr:DescribeImages", "repository '" + repository + "'", e);
            }
            page.imageDetails().forEach(detail -> consumer.accept(toRecord(detail)));
            nextToken = page.nextToken();
        } while (nextToken != null);
    }

    static ImageRecord toRecord(ImageDetail detail) {
        List<Tag> tags = detail.hasImageTags() ? detail.imageTags().stream().map(Tag::of).toList() : List.of();
        boolean archived = detail.imageStatus() == ImageStatus.ARCHIVED;
        return new ImageRecord(
                Digest.of(detail.imageDigest()),
                tags,
                detail.imagePushedAt(),
                Optional.ofNullable(detail.lastRecordedPullTime()),
                archived ? ImageRecord.StorageClass.ARCHIVE : ImageRecord.StorageClass.STANDARD,
                Optional.ofNullable(detail.lastArchivedAt()),
                Optional.ofNullable(detail.lastActivatedAt()),
                Optional.ofNullable(detail.imageManifestMediaType()),
                Optional.ofNullable(detail.artifactMediaType()),
                List.of());
    }

    private static CatalogException failure(String action, String target, SdkException e) {
        return new CatalogException(AwsFailures.describe(action, target, e), AwsFailures.retryable(e), e);
    }
}
