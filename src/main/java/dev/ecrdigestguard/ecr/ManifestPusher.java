package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry.PushOutcome;
import dev.ecrdigestguard.registry.ImmutableTagException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.ReferencedImagesNotFoundException;

/**
 * {@code PutImage}: stores a manifest with its media type and, optionally, points a tag at it. The digest is sent
 * too, so ECR rejects the call if what it received hashes differently from what we computed.
 */
final class ManifestPusher {

    private final EcrClient ecr;

    ManifestPusher(EcrClient ecr) {
        this.ecr = ecr;
    }

    PushOutcome push(RepositoryName repository, Optional<Tag> tag, Manifest manifest) {
        String text = new String(manifest.bytes(), StandardCharsets.UTF_8);
        if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), manifest.bytes())) {
            // PutImage takes the manifest as a string; bytes that aren't UTF-8 would reach ECR changed.
            throw new IllegalArgumentException("manifest " + manifest.digest() + " is not valid UTF-8");
        }
        String what = "manifest " + manifest.digest() + tag.map(t -> " as tag " + t).orElse("");
        try {
            ecr.putImage(request -> request
                    .repositoryName(repository.value())
                    .imageManifest(text)
                    .imageManifestMediaType(manifest.mediaType())
                    .imageDigest(manifest.digest().value())
                    .imageTag(tag.map(Tag::value).orElse(null)));
            return PushOutcome.CREATED;
        } catch (ImageAlreadyExistsException e) {
            // Same manifest, same tag: an earlier run (or a duplicate event) already did this.
            return PushOutcome.ALREADY_EXISTED;
        } catch (ImageTagAlreadyExistsException e) {
            throw new ImmutableTagException(AwsFailures.describe("ecr:PutImage",
                    EcrFailures.target(repository, what), e) + " — the tag is immutable in this repository", e);
        } catch (LayersNotFoundException | ReferencedImagesNotFoundException e) {
            // What the manifest references was pushed just before; a retry pushes it again and then the manifest.
            throw EcrFailures.failure("ecr:PutImage", repository, what, e, true);
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:PutImage", repository, what, e);
        }
    }
}
