package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.PageGuard;
import dev.ecrdigestguard.registry.RegistryException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
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
                .maxResults(DescribeImagesPages.PAGE_SIZE)
                .build();
        PageGuard pages = new PageGuard(DescribeImagesPages.MAX_PAGES, problem -> new RegistryException(
                "ecr:DescribeImages on " + EcrFailures.target(repository, "") + ": " + problem, false));
        Set<Tag> tags = new LinkedHashSet<>();
        try {
            DescribeImagesPages.forEach(ecr, request, pages, detail -> {
                if (detail.hasImageTags()) {
                    detail.imageTags().forEach(tag -> tags.add(Tag.of(tag)));
                }
            });
            return List.copyOf(tags);
        } catch (IllegalArgumentException e) {
            throw EcrFailures.invalidAnswer("ecr:DescribeImages", repository, "", e);
        } catch (RepositoryNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:DescribeImages", repository, "", e);
        }
    }
}
