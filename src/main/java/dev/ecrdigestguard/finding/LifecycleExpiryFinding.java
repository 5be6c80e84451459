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
 * The repository's lifecycle policy deletes (or archives) a production release out of turn: its image expires now (or
 * within the horizon a sweep looks ahead), but would be kept if it ranked by the time its newest release happened
 * rather than by its digest's first push. ECR acts within 24 hours of an image meeting a rule.
 *
 * @param tag               the newest release on the image: the one a person would miss first
 * @param productionTags    every production tag on the image, newest release first
 * @param countType         the rule's {@code countType} as the policy writes it ({@code imageCountMoreThan}, …)
 * @param countNumber       the rule's count of images, or of days for the {@code since…} types
 * @param rank              the image's rank among the images a count rule selects, 1 being the newest
 * @param imageRankedAt     the instant ECR measures the image by: its first push (or restore from archive)
 * @param releasedAt        when {@code tag} was first seen on the image ({@code imageRankedAt} when not recorded)
 * @param releaseTimeSource how {@code releasedAt} is known: {@code LEDGER}, {@code PUSH_EVENT}, or
 *                          {@code IMAGE_PUSHED_AT} (not recorded: the digest's push time stands in)
 * @param dueAt             when ECR may act: now for a count rule, the moment the image passes the rule's age otherwise
 * @param dueNow            whether it is due already (otherwise within the horizon judged, at {@code dueAt})
 */
public record LifecycleExpiryFinding(
        RepositoryName repository,
        Tag tag,
        List<Tag> productionTags,
        Digest imageDigest,
        Outcome outcome,
        int rulePriority,
        Optional<String> ruleDescription,
        String countType,
        int countNumber,
        OptionalInt rank,
        Instant imageRankedAt,
        Instant releasedAt,
        String releaseTimeSource,
        Instant dueAt,
        boolean dueNow) implements Finding {

    public enum Outcome { EXPIRE, ARCHIVE }

    public LifecycleExpiryFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        productionTags = List.copyOf(productionTags);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(ruleDescription);
        Objects.requireNonNull(countType);
        Objects.requireNonNull(rank);
        Objects.requireNonNull(imageRankedAt);
        Objects.requireNonNull(releasedAt);
        Objects.requireNonNull(releaseTimeSource);
        Objects.requireNonNull(dueAt);
    }

    @Override
    public Kind kind() {
        return Kind.LIFECYCLE_EXPIRY;
    }

    @Override
    public Severity severity() {
        return Severity.CRITICAL;
    }

    /** Whether the release time was recorded (ledger or this push) rather than taken from the digest. */
    public boolean releaseTimeRecorded() {
        return !releaseTimeSource.equals("IMAGE_PUSHED_AT");
    }

    /**
     * What a person reads in the alert, e.g. "tag-1-253-0 ranks 6th of the images kept by rule 1 'Keep last 5
     * production images' because its digest was first pushed on 2022-12-15 09:57 UTC; it will be deleted within 24
     * hours".
     */
    public String sentence() {
        String rule = LifecycleWording.rule(rulePriority, ruleDescription);
        String deleted = outcome == Outcome.EXPIRE ? "deleted" : "moved to archive (and can no longer be pulled)";
        String consequence = dueNow
                ? "it will be " + deleted + " within 24 hours"
                : "it becomes due on " + LifecycleWording.when(dueAt) + " and will be " + deleted
                        + " within 24 hours after";
        String pushed = "its digest was first pushed on " + LifecycleWording.when(imageRankedAt);
        if (rank.isPresent()) {
            return tag + " ranks " + Wording.ordinal(rank.getAsInt()) + " of the images kept by " + rule
                    + " because " + pushed + "; " + consequence;
        }
        String age = switch (countType) {
            case "sinceImagePulled" -> "it was not pulled for more than " + countNumber + " days";
            case "sinceImageTransitioned" -> "it has been archived for more than " + countNumber + " days";
            default -> pushed + ", more than " + countNumber + " days " + (dueNow ? "ago" : "before then");
        };
        return tag + " is due under " + rule + " because " + age + "; " + consequence;
    }

    @Override
    public String title() {
        String verb = outcome == Outcome.EXPIRE ? "deleted" : "archived";
        return tag + " in " + repository + " will be " + verb + " by lifecycle rule " + rulePriority
                + (dueNow ? " within 24 hours" : " from " + LifecycleWording.when(dueAt));
    }

    @Override
    public String explanation() {
        String released = releaseTimeRecorded()
                ? " The release happened on " + LifecycleWording.when(releasedAt) + ", so ranked by its release it"
                        + " would be kept: this is not the rotation the rule is there for."
                : " The guard has no record of when " + tag + " was released (it was pushed before the guard"
                        + " recorded releases), so this is judged by the digest's push time.";
        String others = productionTags.size() > 1
                ? " The image also holds " + Wording.listOf(productionTags.subList(1, productionTags.size()), 10)
                        + (productionTags.size() == 2 ? ", which goes" : ", which go") + " with it."
                : "";
        return sentence() + "." + released + others + " ECR applies a lifecycle policy within 24 hours of an image"
                + " meeting a rule, and ranks an image by the time its digest was first pushed, not by when a tag"
                + " reached it: a release tag on an old digest is as old as that digest.";
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
        details.put("productionTags", productionTags.stream().map(Tag::value).toList());
        details.put("action", outcome == Outcome.EXPIRE ? "EXPIRE" : "TRANSITION");
        details.put("rulePriority", rulePriority);
        ruleDescription.ifPresent(description -> details.put("ruleDescription", description));
        details.put("countType", countType);
        details.put("countNumber", countNumber);
        rank.ifPresent(r -> details.put("rank", r));
        details.put("imagePushedAt", imageRankedAt.toString());
        details.put("releasedAt", releasedAt.toString());
        details.put("releaseTimeSource", releaseTimeSource);
        details.put("dueAt", dueAt.toString());
        details.put("dueNow", dueNow);
        details.put("severity", severity().name());
        return details;
    }
}
