package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.PageGuard;
import dev.ecrdigestguard.registry.RegistryException;
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

    /** 200 pages of 50: 10,000 signatures, attestations and SBOMs on one image is far beyond any real image. */
    static final int MAX_PAGES = 200;

    private final EcrClient ecr;

    ReferrersLister(EcrClient ecr) {
        this.ecr = ecr;
    }

    List<Digest> list(RepositoryName repository, Digest subject) {
        List<Digest> referrers = new ArrayList<>();
        PageGuard pages = new PageGuard(MAX_PAGES, problem -> new RegistryException("ecr:ListImageReferrers on "
                + EcrFailures.target(repository, "image " + subject) + ": " + problem, false));
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
                for (ImageReferrer referrer : page.referrers()) {
                    referrers.add(digestOf(referrer, repository, subject));
                }
            }
            nextToken = page.nextToken();
        } while (pages.hasNext(nextToken));
        return referrers;
    }

    private static Digest digestOf(ImageReferrer referrer, RepositoryName repository, Digest subject) {
        try {
            return Digest.of(referrer == null ? null : referrer.digest());
        } catch (IllegalArgumentException e) {
            throw EcrFailures.invalidAnswer("ecr:ListImageReferrers", repository, "image " + subject, e);
        }
    }
}
