package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The repository's lifecycle policy deletes (or archives) the image the pushed tag points to now: ECR acts within 24
 * hours of an image meeting a rule.
 *
 * @param countType       the rule's {@code countType} as the policy writes it ({@code imageCountMoreThan}, …)
 * @param countNumber     the rule's count of images, or of days for the {@code since…} types
 * @param rank            the image's rank among the images a count rule selects, 1 being the newest
 * @param imageRankedAt   the instant ECR measures the image by: its first push (or restore from archive)
 */
public record LifecycleExpiryFinding(
        RepositoryName repository,
        Tag tag,
        Digest imageDigest,
        Outcome outcome,
        int rulePriority,
        Optional<String> ruleDescription,
        String countType,
        int countNumber,
        OptionalInt rank,
        Instant imageRankedAt) implements Finding {

    public enum Outcome { EXPIRE, ARCHIVE }

    public LifecycleExpiryFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(ruleDescription);
        Objects.requireNonNull(countType);
        Objects.requireNonNull(rank);
        Objects.requireNonNull(imageRankedAt);
    }

    @Override
    public Kind kind() {
        return Kind.LIFECYCLE_EXPIRY;
    }

    @Override
    public Severity severity() {
        return Severity.CRITICAL;
    }

    /**
     * What a person reads in the alert, e.g. "tag-1-253-0 ranks 6th of the images kept by rule 1 'Keep last 5
     * production images' because its digest was first pushed on 2022-12-15 09:57 UTC; it will be deleted within 24
     * hours".
     */
    public String sentence() {
        String rule = LifecycleWording.rule(rulePriority, ruleDescription);
        String consequence = outcome == Outcome.EXPIRE
                ? "it will be deleted within 24 hours"
                : "it will be moved to archive within 24 hours and can no longer be pulled";
        String pushed = "its digest was first pushed on " + LifecycleWording.when(imageRankedAt);
        if (rank.isPresent()) {
            return tag + " ranks " + Wording.ordinal(rank.getAsInt()) + " of the images kept by " + rule
                    + " because " + pushed + "; " + consequence;
        }
        String age = switch (countType) {
            case "sinceImagePulled" -> "it was not pulled for more than " + countNumber + " days";
            case "sinceImageTransitioned" -> "it has been archived for more than " + countNumber + " days";
            default -> pushed + ", more than " + countNumber + " days ago";
        };
        return tag + " is due under " + rule + " because " + age + "; " + consequence;
    }

    @Override
    public String title() {
        return tag + " in " + repository + " will be " + (outcome == Outcome.EXPIRE ? "deleted" : "archived")
                + " by lifecycle rule " + rulePriority + " within 24 hours";
    }

    @Override
    public String explanation() {
        return sentence() + ". ECR applies a lifecycle policy within 24 hours of an image meeting a rule, and"
                + " ranks an image by the time its digest was first pushed, not by when a tag reached it: a release"
                + " tag on an old digest is as old as that digest.";
    }

    @Override
    public List<NextStep> nextSteps() {
        NextStep changeRule = rank.isPresent()
                ? new NextStep.RaiseCount(rulePriority, ruleDescription, rank.getAsInt(), Optional.empty())
                : new NextStep.Advice("Change " + LifecycleWording.rule(rulePriority, ruleDescription)
                        + " before ECR's next lifecycle run: raise its countNumber above the image's age in days.");
        return List.of(new NextStep.Retag(repository, tag), changeRule);
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("action", outcome == Outcome.EXPIRE ? "EXPIRE" : "TRANSITION");
        details.put("rulePriority", rulePriority);
        ruleDescription.ifPresent(description -> details.put("ruleDescription", description));
        details.put("countType", countType);
        details.put("countNumber", countNumber);
        rank.ifPresent(r -> details.put("rank", r));
        details.put("imagePushedAt", imageRankedAt.toString());
        details.put("severity", severity().name());
        return details;
    }
}
