package dev.ecrdigestguard.event;

import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful tagged push to ECR: the only kind of {@code ECR Image Action} event the guard acts on.
 *
 * @param eventId           the EventBridge event id, for logs and de-duplication
 * @param time              when ECR recorded the push
 * @param account           the AWS account of the repository
 * @param region            the region of the repository
 * @param manifestMediaType the pushed manifest's media type, when the event carries it
 */
public record PushEvent(
        String eventId,
        Instant time,
        String account,
        String region,
        RepositoryName repository,
        Digest digest,
        Tag tag,
        Optional<String> manifestMediaType,
        Optional<String> artifactMediaType) {

    public PushEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(tag, "tag");
        account = account == null ? "" : account;
        region = region == null ? "" : region;
        manifestMediaType = Objects.requireNonNull(manifestMediaType);
        artifactMediaType = Objects.requireNonNull(artifactMediaType);
    }

    /**
     * The registry the pushed repository lives in. Events read by {@code EcrEventReader} always have one; a push built
     * by hand without an account or region has none, and this throws.
     */
    public AccountRegion registry() {
        return AccountRegion.of(account, region);
    }
}
