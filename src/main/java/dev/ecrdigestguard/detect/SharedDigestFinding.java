package dev.ecrdigestguard.detect;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The pushed production tag landed on a digest that already carries other production tags, so ECR's lifecycle
 * rules count those releases as one image that keeps the push time of the oldest.
 *
 * @param otherProductionTags production tags on the digest besides the pushed one, sorted
 * @param tagCount            every tag on the digest, production or not
 * @param imagePushedAt       when the digest was first pushed: the time lifecycle rules rank it by
 * @param eventTime           when the push that raised this finding happened
 */
public record SharedDigestFinding(
        RepositoryName repository,
        Tag tag,
        Digest imageDigest,
        List<Tag> otherProductionTags,
        int tagCount,
        Instant imagePushedAt,
        Instant eventTime) implements Finding {

    public SharedDigestFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(imageDigest);
        otherProductionTags = List.copyOf(otherProductionTags);
        if (otherProductionTags.isEmpty()) {
            throw new IllegalArgumentException("a shared digest needs at least one other production tag");
        }
        Objects.requireNonNull(imagePushedAt);
        Objects.requireNonNull(eventTime);
    }

    /** How old the image already was, by lifecycle reckoning, when the new release tag reached it. */
    public Duration imageAgeAtEvent() {
        Duration age = Duration.between(imagePushedAt, eventTime);
        return age.isNegative() ? Duration.ZERO : age;
    }

    @Override
    public Kind kind() {
        return Kind.SHARED_DIGEST;
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }
}
