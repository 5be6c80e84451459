package dev.ecrdigestguard.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.text.Echo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** {@code BatchGetImage} for one tag or digest, accepting every manifest type an image or index can have. */
final class ManifestPuller {

    /**
     * Without the index types ECR would answer a manifest list or an OCI index with a failure; without the Docker
     * types it would try to convert. Listing all four makes ECR return the manifest exactly as pushed.
     */
    static final List<String> ACCEPTED_MEDIA_TYPES = List.of(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private final EcrClient ecr;

    ManifestPuller(EcrClient ecr) {
        this.ecr = ecr;
    }

    Optional<Manifest> pull(RepositoryName repository, String reference) {
        ImageIdentifier id = identifier(reference);
        BatchGetImageResponse response;
        try {
            response = ecr.batchGetImage(request -> request
                    .repositoryName(repository.value())
                    .imageIds(id)
                    .acceptedMediaTypes(ACCEPTED_MEDIA_TYPES));
        } catch (RepositoryNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:BatchGetImage", repository, "image " + reference, e);
        }
        if (response.hasImages() && !response.images().isEmpty()) {
            return Optional.of(toManifest(repository, reference, response.images().get(0)));
        }
        if (response.hasFailures() && !response.failures().isEmpty()) {
            ImageFailure failure = response.failures().get(0);
            if (failure.failureCode() == ImageFailureCode.IMAGE_NOT_FOUND) {
                return Optional.empty();
            }
            throw new RegistryException("ecr:BatchGetImage on image " + reference + " in repository '" + repository
                    + "' failed: " + Echo.of(failure.failureCodeAsString()) + ": "
                    + Echo.of(failure.failureReason(), 400),
                    retryable(failure.failureCode()));
        }
        return Optional.empty();
    }

    private static ImageIdentifier identifier(String reference) {
        return reference.startsWith("sha256:")
                ? ImageIdentifier.builder().imageDigest(Digest.of(reference).value()).build()
                : ImageIdentifier.builder().imageTag(reference).build();
    }

    private static Manifest toManifest(RepositoryName repository, String reference, Image image) {
        if (image == null || image.imageManifest() == null) {
            // Not something ECR sends; the same answer would come again, and the alert should say why.
            throw new RegistryException("ecr:BatchGetImage returned image " + reference + " in repository '"
                    + repository + "' without its manifest", false);
        }
        byte[] bytes = image.imageManifest().getBytes(StandardCharsets.UTF_8);
        Digest actual = Digest.sha256(bytes);
        String reported = image.imageId() == null ? null : image.imageId().imageDigest();
        if (reported != null && !reported.equals(actual.value())) {
            // The manifest must be rewritten from the exact bytes ECR stores; anything else changes more than we mean.
            throw new RegistryException("ecr:BatchGetImage returned a manifest for " + reference + " in repository '"
                    + repository + "' whose bytes hash to " + actual + ", not to its digest " + reported, false);
        }
        String mediaType = image.imageManifestMediaType() != null
                ? image.imageManifestMediaType()
                : declaredMediaType(bytes).orElseThrow(() -> new RegistryException("ecr:BatchGetImage returned a "
                        + "manifest for " + reference + " in repository '" + repository + "' without a media type",
                        false));
        return new Manifest(bytes, mediaType, actual);
    }

    private static Optional<String> declaredMediaType(byte[] bytes) {
        try {
            JsonNode type = Json.mapper().readTree(bytes).get("mediaType");
            return type != null && type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean retryable(ImageFailureCode code) {
        return code == ImageFailureCode.UPSTREAM_TOO_MANY_REQUESTS || code == ImageFailureCode.UPSTREAM_UNAVAILABLE
                || code == ImageFailureCode.KMS_ERROR;
    }
}
