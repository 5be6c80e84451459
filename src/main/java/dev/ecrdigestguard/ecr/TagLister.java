package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageStatusFilter;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * Every tag of a repository, from {@code DescribeImages} of the tagged images, every page. {@code ListImages} would
 * do too, but the guard already holds {@code ecr:DescribeImages}: one IAM action fewer.
 */
final class TagLister {

    private final EcrClient ecr;

    TagLister(EcrClient ecr) {
        this.ecr = ecr;
    }

    List<Tag> list(RepositoryName repository) {
        DescribeImagesRequest request = DescribeImagesRequest.builder()
                .repositoryName(repository.value())
                .filter(filter -> filter.tagStatus(TagStatus.TAGGED).imageStatus(ImageStatusFilter.ANY))
                .maxResults(1000)
                .build();
        try {
            return ecr.describeImagesPaginator(request).imageDetails().stream()
                    .filter(ImageDetail::hasImageTags)
                    .flatMap(detail -> detail.imageTags().stream())
                    .map(Tag::of)
                    .distinct()
                    .toList();
        } catch (RepositoryNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:DescribeImages", repository, "", e);
        }
    }
}
