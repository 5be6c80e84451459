package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the lifecycle policy does to one production image (a digest holding one or more release tags), judged twice:
 * as ECR ranks it, by the digest's push time ({@link #actual()}), and as the releases would rank if each production
 * image were as young as its newest release ({@link #intended()}). Where the two disagree, the policy takes the
 * release out of turn.
 *
 * @param releases    the production tags on the image, newest release first
 * @param rankedAt    the instant ECR ranks the image by (first push, or last restore from archive)
 * @param releasedAt  when the newest of its releases happened ({@code rankedAt} when none was recorded)
 * @param dueAt       for an expiring release, when ECR may act on it: the evaluation time for a count rule, the moment
 *                    the image passes the rule's age for an age rule (in the past when already due)
 * @param outrankedBy production images its deciding count rule ranks above it although they were released before it
 * @param countToKeepReleases for an image decided by a count rule: the {@code countNumber} that would keep the last
 *                    {@code countNumber} releases with the digests they hold today
 */
public record ReleaseStanding(
        ImageRecord image,
        List<Release> releases,
        Instant rankedAt,
        Instant releasedAt,
        ImageDecision actual,
        ImageDecision intended,
        Verdict verdict,
        Optional<Instant> dueAt,
        int outrankedBy,
        OptionalInt countToKeepReleases) {

    /** The three answers to "what happens to this release?". */
    public enum Verdict {
        /** The policy keeps it (at the time judged). */
        KEPT,
        /** The policy expires or archives it, and would do so if it ranked by its release: the rule's intent. */
        ROTATION,
        /** The policy expires or archives it only because its digest is older than its release: out of turn. */
        OUT_OF_TURN
    }

    public ReleaseStanding {
        Objects.requireNonNull(image, "image");
        releases = List.copyOf(releases);
        if (releases.isEmpty()) {
            throw new IllegalArgumentException("a release standing needs at least one production tag");
        }
        Objects.requireNonNull(rankedAt, "rankedAt");
        Objects.requireNonNull(releasedAt, "releasedAt");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(intended, "intended");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(countToKeepReleases, "countToKeepReleases");
        if ((verdict == Verdict.KEPT) == dueAt.isPresent()) {
            throw new IllegalArgumentException("an expiring release has a due time, a kept one none");
        }
    }

    /** The newest release on the image: the one a person would miss first. */
    public Release newestRelease() {
        return releases.get(0);
    }

    public List<Tag> productionTags() {
        return releases.stream().map(Release::tag).toList();
    }

    /** Whether ECR may act on it already (rather than later, within the horizon judged). */
    public boolean dueBy(Instant instant) {
        return dueAt.isPresent() && !dueAt.get().isAfter(instant);
    }

    /** Whether every release time on the image was recorded, rather than taken from the digest's push time. */
    public boolean releaseTimesRecorded() {
        return releases.stream().allMatch(Release::recorded);
    }
}
