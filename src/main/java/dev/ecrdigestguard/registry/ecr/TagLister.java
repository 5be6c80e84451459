package dev.ecrdigestguard.registry.ecr;

import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageStatusFilter;
import software.amazon.awssdk.services.ecr.model.ListImagesRequest;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/** {@code ListImages} for tagged images, every page: one entry per tag. */
final class TagLister {

    private final EcrClient ecr;

    TagLister(EcrClient ecr) {
        this.ecr = ecr;
    }

    List<Tag> list(RepositoryName repository) {
        ListImagesRequest request = ListImagesRequest.builder()
                .repositoryName(repository.value())
                .filter(filter -> filter.tagStatus(TagStatus.TAGGED).imageStatus(ImageStatusFilter.ANY))
                .maxResults(1000)
                .build();
        try {
            return ecr.listImagesPaginator(request).imageIds().stream()
                    .map(ImageIdentifier::imageTag)
                    .filter(tag -> tag != null)
                    .map(Tag::of)
                    .distinct()
                    .toList();
        } catch (RepositoryNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:ListImages", repository, "", e);
        }
    }
}
