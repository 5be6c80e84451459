package dev.ecrdigestguard.event;

import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful tagged push to ECR: the {@code ECR Image Action} the guard inspects (a tagged {@code DELETE},
 * {@link DeletionEvent}, gets the post-mortem).
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
        Optional<String> artifactMediaType) implements TaggedImageEvent {

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

    /** What {@link #eventId} starts with when the scheduled sweep, not a push, found the release. */
    public static final String SWEEP_PREFIX = "sweep:";

    /**
     * A release as the scheduled sweep found it: the "push" an alert about it is built around, with the sweep's id as
     * its event id and the time the sweep judged it.
     */
    public static PushEvent seenBySweep(String sweepId, Instant judgedAt, AccountRegion registry,
                                        RepositoryName repository, Digest digest, Tag tag) {
        return new PushEvent(SWEEP_PREFIX + sweepId, judgedAt, registry.account(), registry.region(), repository,
                digest, tag, Optional.empty(), Optional.empty());
    }

    /** What {@link #eventId} starts with when the report is about a tag's deletion (the post-mortem). */
    public static final String DELETION_PREFIX = "deletion:";

    /** The release a deletion took away, as the report about it names it. */
    public static PushEvent ofDeletion(DeletionEvent deletion) {
        return new PushEvent(DELETION_PREFIX + deletion.eventId(), deletion.time(), deletion.account(),
                deletion.region(), deletion.repository(), deletion.digest(), deletion.tag(), Optional.empty(),
                Optional.empty());
    }

    /** Whether the scheduled sweep found this release, rather than a push event bringing it. */
    public boolean isSweep() {
        return eventId.startsWith(SWEEP_PREFIX);
    }

    /** What brought the release to the guard's attention, as an alert's last line starts: "Push", "Sweep", … */
    public String occasion() {
        return isSweep() ? "Sweep found" : eventId.startsWith(DELETION_PREFIX) ? "Deletion of" : "Push";
    }

    /**
     * The registry the pushed repository lives in. Events read by {@code EcrEventReader} always have one; a push built
     * by hand without an account or region has none, and this throws.
     */}
