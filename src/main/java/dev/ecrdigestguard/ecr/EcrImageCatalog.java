package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.DeadlinePassedException;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.PageGuard;
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

/**
 * {@link ImageCatalog} over the ECR API: {@code DescribeImages} and {@code GetLifecyclePolicy}.
 *
 * <p>What ECR answers is checked as any outside input is: an image without a digest or a push time, a tag no registry
 * accepts, a timestamp outside {@code InstantRange} (checked by {@link ImageRecord}; the SDK turns an absurd epoch
 * value into year -267,664,695 rather than failing) is a non-retryable {@link CatalogException} naming the field, and
 * an answer that neither describes the image asked for nor says it is missing proves nothing, so it fails
 * (retryably) instead of reading as "gone".
 */
public final class EcrImageCatalog implements ImageCatalog {

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
            if (!response.hasImageDetails() || response.imageDetails().isEmpty()) {
                // ECR answers a missing image with ImageNotFoundException; an empty 200 is no proof of anything.
                throw new CatalogException("ecr:DescribeImages on image " + digest + " in repository '" + repository
                        + "' answered without the image and without an error", true, null);
            }
            return Optional.of(toRecord(repository, response.imageDetails().get(0)));
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
     * Pages through {@code DescribeImages} one request at a time, so that each page is bounded by the time left (a slow
     * registry stops the walk at the deadline instead of running the function into its timeout) and a page guard sees
     * every next token (a registry repeating one can't keep the walk going).
     */
    @Override
    public void forEachImage(RepositoryName repository, Instant deadline, Consumer<ImageRecord> consumer) {
        DescribeImagesRequest request = DescribeImagesRequest.builder()
                .repositoryName(repository.value())
                // Archived images count for lifecycle rules on the archive storage class; list them too.
                .filter(filter -> filter.imageStatus(ImageStatusFilter.ANY))
                .maxResults(DescribeImagesPages.PAGE_SIZE)
                .build();
        PageGuard pages = new PageGuard(DescribeImagesPages.MAX_PAGES, problem -> new CatalogException(
                "ecr:DescribeImages on repository '" + repository + "': " + problem, false, null));
        try {
            DescribeImagesPages.forEach(ecr, request, pages, deadline,
                    detail -> consumer.accept(toRecord(repository, detail)));
        } catch (SdkException e) {
            if (!Instant.now().isBefore(deadline)) {
                throw new DeadlinePassedException("listing the images of " + repository, deadline);
            }
            throw failure("ecr:DescribeImages", "repository '" + repository + "'", e);
        }
    }

    static ImageRecord toRecord(RepositoryName repository, ImageDetail detail) {
        try {
            if (detail == null) {
                throw new IllegalArgumentException("an image detail that is null");
            }
            Digest digest = Digest.of(detail.imageDigest());
            List<Tag> tags = detail.hasImageTags() ? detail.imageTags().stream().map(Tag::of).toList() : List.of();
            if (detail.imagePushedAt() == null) {
                throw new IllegalArgumentException("image " + digest + " without imagePushedAt");
            }
            boolean archived = detail.imageStatus() == ImageStatus.ARCHIVED;
            return new ImageRecord(
                    digest,
                    tags,
                    detail.imagePushedAt(),
                    Optional.ofNullable(detail.lastRecordedPullTime()),
                    archived ? ImageRecord.StorageClass.ARCHIVE : ImageRecord.StorageClass.STANDARD,
                    Optional.ofNullable(detail.lastArchivedAt()),
                    Optional.ofNullable(detail.lastActivatedAt()),
                    Optional.ofNullable(detail.imageManifestMediaType()),
                    Optional.ofNullable(detail.artifactMediaType()),
                    List.of());
        } catch (IllegalArgumentException e) {
            // The same answer would come again: a retry can't help.
            throw new CatalogException("ecr:DescribeImages on repository '" + repository + "' returned "
                    + e.getMessage(), false, e);
        }
    }

    private static CatalogException failure(String action, String target, SdkException e) {
        return new CatalogException(AwsFailures.describe(action, target, e), AwsFailures.retryable(e), e);
    }
}
