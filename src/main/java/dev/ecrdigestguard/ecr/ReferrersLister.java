package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ArtifactStatusFilter;
import software.amazon.awssdk.services.ecr.model.ImageReferrer;
import software.amazon.awssdk.services.ecr.model.ListImageReferrersResponse;

/**
 * {@code ListImageReferrers}: the OCI referrers of an image (signatures, attestations, SBOMs pushed with a
 * {@code subject}). Archived referrers count too: an archived signature still signs the old digest only.
 * ECR authorises this call with {@code ecr:BatchGetImage}.
 */
final class ReferrersLister {

    private final EcrClient ecr;

    ReferrersLister(EcrClient ecr) {
        this.ecr = ecr;
    }

    List<Digest> list(RepositoryName repository, Digest subject) {
        List<Digest> referrers = new ArrayList<>();
        String nextToken = null;
        do {
            String token = nextToken;
            ListImageReferrersResponse page;
            try {
                page = ecr.listImageReferrers(request -> request
                        .repositoryName(repository.value())
                        .subjectId(id -> id.imageDigest(subject.value()))
                        .filter(filter -> filter.artifactStatus(ArtifactStatusFilter.ANY))
                        .maxResults(50)
                        .nextToken(token));
            } catch (SdkException e) {
                throw EcrFailures.failure("ecr:ListImageReferrers", repository, "image " + subject, e);
            }
            if (page.hasReferrers()) {
                page.referrers().stream().map(ImageReferrer::digest).map(Digest::of).forEach(referrers::add);
            }
            nextToken = page.nextToken();
        } while (nextToken != null && !nextToken.isEmpty());
        return referrers;
    }
}
