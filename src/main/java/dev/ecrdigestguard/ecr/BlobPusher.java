package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import java.util.Arrays;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.LayerAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;

/**
 * Uploads a blob: {@code BatchCheckLayerAvailability} first (a retry after a failed {@code PutImage} finds the config
 * already there and skips the upload), then {@code InitiateLayerUpload}, one {@code UploadLayerPart} per part size
 * ECR asks for, and {@code CompleteLayerUpload}. ECR checks the digest on completion.
 */
final class BlobPusher {

    private final EcrClient ecr;

    BlobPusher(EcrClient ecr) {
        this.ecr = ecr;
    }

    void push(RepositoryName repository, Digest digest, byte[] content) {
        Digest actual = Digest.sha256(content);
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("blob content hashes to " + actual + ", not to " + digest);
        }
        if (content.length == 0) {
            throw new IllegalArgumentException("ECR does not accept empty blobs (" + digest + ")");
        }
        if (isAvailable(repository, digest)) {
            return;
        }
        InitiateLayerUploadResponse upload;
        try {
            upload = ecr.initiateLayerUpload(request -> request.repositoryName(repository.value()));
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:InitiateLayerUpload", repository, "blob " + digest, e);
        }
        long partSize = upload.partSize() == null || upload.partSize() <= 0 ? content.length : upload.partSize();
        try {
            for (long first = 0; first < content.length; first += partSize) {
                long last = Math.min(content.length, first + partSize) - 1;
                byte[] part = Arrays.copyOfRange(content, (int) first, (int) last + 1);
                long partFirst = first;
                ecr.uploadLayerPart(request -> request
                        .repositoryName(repository.value())
                        .uploadId(upload.uploadId())
                        .partFirstByte(partFirst)
                        .partLastByte(last)
                        .layerPartBlob(SdkBytes.fromByteArray(part)));
            }
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:UploadLayerPart", repository, "blob " + digest, e);
        }
        try {
            ecr.completeLayerUpload(request -> request
                    .repositoryName(repository.value())
                    .uploadId(upload.uploadId())
                    .layerDigests(digest.value()));
        } catch (LayerAlreadyExistsException e) {
            // Another upload of the same content finished first (a duplicate event): the blob is there.
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:CompleteLayerUpload", repository, "blob " + digest, e);
        }
    }

    private boolean isAvailable(RepositoryName repository, Digest digest) {
        try {
            return ecr.batchCheckLayerAvailability(request -> request
                            .repositoryName(repository.value())
                            .layerDigests(digest.value()))
                    .layers().stream()
                    .anyMatch(layer -> digest.value().equals(layer.layerDigest())
                            && layer.layerAvailability() == LayerAvailability.AVAILABLE);
        } catch (SdkException e) {
            throw EcrFailures.failure("ecr:BatchCheckLayerAvailability", repository, "blob " + digest, e);
        }
    }
}
