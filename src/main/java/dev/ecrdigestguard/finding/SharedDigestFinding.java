package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        otherProductionTags = otherProductionTags.stream().sorted().toList();
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

    @Override
    public String title() {
        return tag + " shares its digest with " + Wording.listOf(otherProductionTags, 3) + " in " + repository;
    }

    @Override
    public String explanation() {
        return "The release tag " + tag + " was pushed to " + repository + " on a digest (" + imageDigest.shortForm()
                + ") that already carries the production tag" + (otherProductionTags.size() == 1 ? " " : "s ")
                + Wording.listOf(otherProductionTags, 10) + ". ECR lifecycle rules count images, not tags, and rank "
                + "them by the time the digest was first pushed (" + imagePushedAt + ", "
                + Wording.age(imageAgeAtEvent()) + " before this push). To a rule such as \"keep the last N "
                + "production images\" these releases are one image, as old as the oldest of them: the newest "
                + "release can be expired before older ones, and a rollback or a node replacement then fails to "
                + "pull it.";
    }

    @Override
    public List<NextStep> nextSteps() {
        return List.of(
                new NextStep.Retag(repository, tag),
                new NextStep.Advice("Keep production releases in a repository of their own, with a lifecycle policy"
                        + " that never expires them by count."),
                NextStep.UNIQUE_BUILDS);
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("otherProductionTags", otherProductionTags.stream().map(Tag::value).toList());
        details.put("tagCount", tagCount);
        details.put("imagePushedAt", imagePushedAt.toString());
        details.put("eventTime", eventTime.toString());
        details.put("imageAgeSeconds", imageAgeAtEvent().toSeconds());
        details.put("severity", severity().name());
        return details;
    }
}
