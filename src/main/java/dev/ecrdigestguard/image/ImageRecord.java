package dev.ecrdigestguard.image;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry knows about one image (one digest) in a repository: the fields of ECR's
 * {@code DescribeImages} {@code imageDetails} entry that the guard and the lifecycle engine use.
 *
 * <p>Every timestamp is within {@link InstantRange}, whichever source built the record (ECR, a recorded file, a
 * test): the lifecycle engine's arithmetic on them can't overflow.
 *
 * @param indexChildren digests of the manifests this image references when it is a manifest list or an index
 *                      (empty for plain images, and when unknown)
 */
public record ImageRecord(
        Digest digest,
        List<Tag> tags,
        Instant pushedAt,
        Optional<Instant> lastPulledAt,
        StorageClass storageClass,
        Optional<Instant> lastArchivedAt,
        Optional<Instant> lastActivatedAt,
        Optional<String> manifestMediaType,
        Optional<String> artifactMediaType,
        List<Digest> indexChildren) {

    public enum StorageClass { STANDARD, ARCHIVE }

    public ImageRecord {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(pushedAt, "pushedAt of " + digest);
        tags = List.copyOf(tags);
        lastPulledAt = Objects.requireNonNull(lastPulledAt);
        storageClass = storageClass == null ? StorageClass.STANDARD : storageClass;
        lastArchivedAt = Objects.requireNonNull(lastArchivedAt);
        lastActivatedAt = Objects.requireNonNull(lastActivatedAt);
        inRange(pushedAt, "imagePushedAt", digest);
        lastPulledAt.ifPresent(time -> inRange(time, "lastRecordedPullTime", digest));
        lastArchivedAt.ifPresent(time -> inRange(time, "lastArchivedAt", digest));
        lastActivatedAt.ifPresent(time -> inRange(time, "lastActivatedAt", digest));
        manifestMediaType = Objects.requireNonNull(manifestMediaType);
        artifactMediaType = Objects.requireNonNull(artifactMediaType);
        indexChildren = List.copyOf(indexChildren);
    }

    /** The message is built only for a value out of range: records are made by the million. */
    private static void inRange(Instant time, String field, Digest digest) {
        if (!InstantRange.contains(time)) {
            InstantRange.check(time, field + " of " + digest);
        }
    }

    /** A plain, never-pulled, standard-storage image: the common case, and a convenient one for tests. */
    public static ImageRecord of(Digest digest, List<Tag> tags, Instant pushedAt) {
        return new ImageRecord(digest, tags, pushedAt, Optional.empty(), StorageClass.STANDARD,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public boolean isTagged() {
        return !tags.isEmpty();
    }
}
