package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The post-mortem: a production release the guard had found expiring out of turn is gone — deleted, or moved to
 * archive where it can't be pulled — before anyone acted. Raised by an ECR {@code DELETE} event of one of its tags,
 * or by the sweep that finds it no longer in the repository (lifecycle expirations raise no event of their own that
 * the guard receives; README "Post-mortem"). What the guard knew beforehand names the rule that did it.
 *
 * @param tag            the newest release on the image: the one a person misses first
 * @param productionTags every production tag the image held when it was found at risk, newest release first
 * @param rulePriority   the lifecycle rule that was taking it out of turn
 * @param foundAt        when the guard first found it at risk (and alerted)
 * @param dueAt          when the rule was due to act
 * @param seenAt         when the guard saw it gone
 * @param seenBy         what showed it: an ECR {@code DELETE} event, or the sweep
 */
public record ReleaseDeletedFinding(
        RepositoryName repository,
        Tag tag,
        List<Tag> productionTags,
        Digest imageDigest,
        Outcome outcome,
        int rulePriority,
        Optional<String> ruleDescription,
        Instant foundAt,
        Instant dueAt,
        Instant seenAt,
        SeenBy seenBy) implements Finding {

    /** What happened to the image. */
    public enum Outcome {
        /** Gone: ECR can't bring it back. */
        DELETED,
        /** In ECR's archive storage class: it can't be pulled until restored. */
        ARCHIVED
    }

    public enum SeenBy { DELETE_EVENT, SWEEP }

    public ReleaseDeletedFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        productionTags = List.copyOf(productionTags);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(ruleDescription);
        Objects.requireNonNull(foundAt);
        Objects.requireNonNull(dueAt);
        Objects.requireNonNull(seenAt);
        Objects.requireNonNull(seenBy);
    }

    @Override
    public Kind kind() {
        return Kind.RELEASE_DELETED;
    }

    /** A release is lost: the outage the guard exists to prevent has happened, or will at the next pull. */
    @Override
    public Severity severity() {
        return Severity.CRITICAL;
    }

    @Override
    public String title() {
        return tag + " in " + repository + (outcome == Outcome.DELETED ? " was deleted" : " was moved to archive")
                + " out of turn by lifecycle rule " + rulePriority;
    }

    @Override
    public String explanation() {
        String rule = LifecycleWording.rule(rulePriority, ruleDescription);
        String others = productionTags.size() > 1
                ? " The image also held " + Wording.listOf(productionTags.subList(1, productionTags.size()), 10)
                        + ", which went with it."
                : "";
        String seen = seenBy == SeenBy.DELETE_EVENT
                ? "ECR reported the deletion of " + tag + " on " + LifecycleWording.when(seenAt)
                : "the sweep of " + LifecycleWording.when(seenAt) + " no longer found it in the repository";
        String now = outcome == Outcome.DELETED
                ? " Deployments, rollbacks and node replacements that pull " + tag + " (digest "
                        + imageDigest.shortForm() + ") fail from now on, and ECR cannot restore a deleted image."
                : " It is in ECR's archive storage class: pulls of " + tag + " fail until it is restored, which takes"
                        + " a while, so restore it now.";
        return "On " + LifecycleWording.when(foundAt) + " the guard found that " + rule + " would take " + tag
                + " out of turn (its digest was first pushed long before the release, and ECR ranks the image by that"
                + " first push), due " + LifecycleWording.when(dueAt) + "; " + seen + "." + now + others;
    }

    @Override
    public List<NextStep> nextSteps() {
        List<NextStep> steps = new ArrayList<>();
        if (outcome == Outcome.ARCHIVED) {
            steps.add(new NextStep.RestoreFromArchive(repository, imageDigest));
        } else {
            steps.add(new NextStep.Advice("Rebuild " + tag + " from its source and push it under the same tag (a"
                    + " reproducible build gives back the same digest); until then, deploy another release."));
        }
        steps.add(new NextStep.Advice("Stop it happening again: change " + LifecycleWording.rule(rulePriority,
                ruleDescription) + " so it keeps the releases you need, or run the guard with Mode=RETAG, which gives"
                + " a release found at risk a digest of its own before the rule acts."));
        return steps;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("productionTags", productionTags.stream().map(Tag::value).toList());
        details.put("outcome", outcome.name());
        details.put("rulePriority", rulePriority);
        ruleDescription.ifPresent(description -> details.put("ruleDescription", description));
        details.put("foundAtRiskAt", foundAt.toString());
        details.put("dueAt", dueAt.toString());
        details.put("seenAt", seenAt.toString());
        details.put("seenBy", seenBy.name());
        details.put("severity", severity().name());
        return details;
    }
}
