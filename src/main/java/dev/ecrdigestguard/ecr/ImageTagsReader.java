package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** {@code DescribeImages} for one digest: ECR's reverse index from a digest to its tags, in one call. */
final class ImageTagsReader {

    private final EcrClient ecr;

    ImageTagsReader(EcrClient ecr) {
        this.ecr = ecr;
    }

    List<Tag> tagsOf(RepositoryName repository, Digest digest, Predicate<Tag> wanted) {
        try {
            return ecr.describeImages(request -> request
                            .repositoryName(repository.value())
                            .imageIds(id -> id.imageDigest(digest.value())))
                    .imageDetails().stream()
                    .filter(ImageDetail::hasImageTags)
                    .flatMap(detail -> detail.imageTags().stream())
                    .map(Tag::of)
                    .filter(wanted)
                    .distinct()
                    .toList();
        } catch (IllegalArgumentException e) {
            throw EcrFailures.invalidAnswer("ecr:DescribeImages", repository, "image " + digest, e);
        } catch (ImageNotFoundException | RepositoryNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:DescribeImages", repository, "image " + digest, e);
        }
    }
}
