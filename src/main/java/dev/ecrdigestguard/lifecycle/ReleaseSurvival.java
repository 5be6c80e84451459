package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.LifecycleOutrankedFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Will a release just tagged survive the repository's lifecycle policy, and for how long? Answers with the findings
 * {@code LIFECYCLE_EXPIRY} (the policy acts on the image now) and {@code LIFECYCLE_OUTRANKED} (production images pushed
 * after the image's first push, but before this tag, rank above the new release in a count rule).
 */
public final class ReleaseSurvival {

    private ReleaseSurvival() {
    }

    /** What the guard knows about one production push. */
    public record Push(RepositoryName repository, Tag tag, ImageRecord image, Instant taggedAt) {
        public Push {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(tag);
            Objects.requireNonNull(image);
            Objects.requireNonNull(taggedAt);
        }
    }

    /**
     * @param images every image of the repository; the pushed image is added or replaced by {@code push.image()},
     *               with the pushed tag, so a listing taken just before the push gives the same answer
     */
    public static List<Finding> assess(LifecyclePolicy policy, List<ImageRecord> images, Push push,
            ProductionTags productionTags, Instant now) {
        ImageRecord pushed = withTag(push.image(), push.tag());
        List<ImageRecord> repository = new ArrayList<>(images.size() + 1);
        for (ImageRecord image : images) {
            if (!image.digest().equals(pushed.digest())) {
                repository.add(image);
            }
        }
        repository.add(pushed);

        LifecycleEvaluation evaluation = LifecycleEngine.evaluate(policy, repository, now);
        ImageDecision decision = evaluation.decisionFor(pushed.digest()).orElseThrow();
        List<Finding> findings = new ArrayList<>(2);
        Instant rankedAt = LifecycleEngine.rankTime(pushed);
        if (decision instanceof ImageDecision.Expire || decision instanceof ImageDecision.Transition) {
            LifecycleRule rule = decision.decidingRule().orElseThrow();
            findings.add(new LifecycleExpiryFinding(push.repository(), push.tag(), pushed.digest(),
                    decision instanceof ImageDecision.Expire
                            ? LifecycleExpiryFinding.Outcome.EXPIRE : LifecycleExpiryFinding.Outcome.ARCHIVE,
                    rule.rulePriority(), rule.description(), rule.countType().json(), rule.countNumber(),
                    decision.standing().map(s -> OptionalInt.of(s.rank())).orElse(OptionalInt.empty()), rankedAt));
        }
        Optional<LifecycleRule> countRule = decision.decidingRule().filter(LifecycleRule::isCountRule);
        if (countRule.isPresent() && decision.standing().isPresent()) {
            outranked(countRule.get(), repository, pushed, push, productionTags, decision.standing().get())
                    .ifPresent(findings::add);
        }
        return findings;
    }

    private static Optional<Finding> outranked(LifecycleRule rule, List<ImageRecord> repository, ImageRecord pushed,
            Push push, ProductionTags productionTags, CountStanding standing) {
        Instant rankedAt = LifecycleEngine.rankTime(pushed);
        List<ImageRecord> selected = repository.stream()
                .filter(rule::selects)
                .sorted(Comparator.comparing(LifecycleEngine::rankTime).reversed()
                        .thenComparing(ImageRecord::digest))
                .toList();
        int outrankedBy = 0;
        for (ImageRecord image : selected) {
            Instant time = LifecycleEngine.rankTime(image);
            if (!image.digest().equals(pushed.digest()) && time.isAfter(rankedAt) && !time.isAfter(push.taggedAt())
                    && !productionTags.select(image.tags()).isEmpty()) {
                outrankedBy++;
            }
        }
        if (outrankedBy == 0) {
            return Optional.empty();
        }
        return Optional.of(new LifecycleOutrankedFinding(push.repository(), push.tag(), pushed.digest(),
                rule.rulePriority(), rule.description(), rule.countNumber(), standing.rank(), outrankedBy,
                countToKeepLastReleases(rule.countNumber(), selected, push.tag(), productionTags), rankedAt));
    }

    /**
     * The smallest {@code countNumber} that keeps the last {@code releases} production tags, the pushed one first and
     * the others newest digest first: the deepest rank among the digests that hold them.
     */
    static int countToKeepLastReleases(int releases, List<ImageRecord> selectedYoungestFirst, Tag pushedTag,
            ProductionTags productionTags) {
        Map<Digest, Integer> ranks = new HashMap<>();
        for (int i = 0; i < selectedYoungestFirst.size(); i++) {
            ranks.put(selectedYoungestFirst.get(i).digest(), i + 1);
        }
        record Release(Tag tag, Digest digest, int rank) {
        }
        List<Release> all = new ArrayList<>();
        for (ImageRecord image : selectedYoungestFirst) {
            for (Tag tag : productionTags.select(image.tags())) {
                all.add(new Release(tag, image.digest(), ranks.get(image.digest())));
            }
        }
        all.sort(Comparator.comparing((Release r) -> !r.tag().equals(pushedTag))
                .thenComparingInt(Release::rank)
                .thenComparing(Release::tag, Comparator.reverseOrder()));
        int needed = 0;
        for (int i = 0; i < Math.min(releases, all.size()); i++) {
            needed = Math.max(needed, all.get(i).rank());
        }
        return Math.max(needed, 1);
    }

    private static ImageRecord withTag(ImageRecord image, Tag tag) {
        if (image.tags().contains(tag)) {
            return image;
        }
        List<Tag> tags = new ArrayList<>(image.tags());
        tags.add(tag);
        return new ImageRecord(image.digest(), tags, image.pushedAt(), image.lastPulledAt(), image.storageClass(),
                image.lastArchivedAt(), image.lastActivatedAt(), image.manifestMediaType(), image.artifactMediaType(),
                image.indexChildren());
    }
}
