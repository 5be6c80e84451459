package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.snapshot.SnapshotImageCatalog;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * {@code check --repository R --tag T}: the tag as it is now, as if it had just been pushed — the push event the
 * guard would have received, built from the image the tag points at (ECR's {@code DescribeImages} for that one tag,
 * or the recording with {@code --snapshot}). A tag or repository that isn't there is a mistake to say out loud, not
 * an event to ignore.
 */
final class TagAsPushed {

    private TagAsPushed() {
    }

    static PushEvent lookUp(String repositoryText, String tagText, Optional<SnapshotImageCatalog> recorded,
                            String region) {
        RepositoryName repository = OptionValue.parse("--repository", () -> RepositoryName.of(repositoryText));
        Tag tag = OptionValue.parse("--tag", () -> Tag.of(tagText));
        if (recorded.isPresent()) {
            recorded.get().requireRecordingOf(repository);
            AtomicReference<ImageRecord> found = new AtomicReference<>();
            recorded.get().forEachImage(repository, image -> {
                if (image.tags().contains(tag)) {
                    found.set(image);
                }
            });
            if (found.get() == null) {
                throw new IllegalArgumentException("tag " + tag + " is not in the recording of " + repository);
            }
            return push(repository, tag, found.get().digest(), "", region);
        }
        try (EcrClient ecr = AwsClients.newEcrClient()) {
            DescribeImagesResponse response = ecr.describeImages(request -> request
                    .repositoryName(repository.value())
                    .imageIds(id -> id.imageTag(tag.value())));
            ImageDetail image = response.imageDetails().stream()
                    .filter(detail -> detail.imageTags().contains(tag.value()))
                    .findFirst().orElseThrow(() -> missing(tag, repository, region));
            return push(repository, tag, Digest.of(image.imageDigest()), image.registryId(), region);
        } catch (ImageNotFoundException e) {
            throw missing(tag, repository, region);
        } catch (RepositoryNotFoundException e) {
            throw new IllegalArgumentException("repository " + repository + " does not exist in " + region
                    + ": check --repository and --region (aws ecr describe-repositories --region " + region + ")");
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describe("ecr:DescribeImages", "tag " + tag + " in repository '"
                    + repository + "'", e), AwsFailures.retryable(e), e);
        }
    }

    private static IllegalArgumentException missing(Tag tag, RepositoryName repository, String region) {
        return new IllegalArgumentException("tag " + tag + " does not exist in repository " + repository + " ("
                + region + "): check --tag and --region (aws ecr list-images --repository-name " + repository
                + " --region " + region + ")");
    }

    /** The event ECR would have sent for this tag now; its id says it came from the command line. */
    private static PushEvent push(RepositoryName repository, Tag tag, Digest digest, String account, String region) {
        return new PushEvent("check-" + UUID.randomUUID(), Instant.now(), account == null ? "" : account, region,
                repository, digest, tag, Optional.empty(), Optional.empty());
    }
}
