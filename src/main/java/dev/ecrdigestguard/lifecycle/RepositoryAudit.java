package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.image.TagPattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an audit finds in one repository: digests that hold several production tags (releases ECR counts as one image
 * ranked by the oldest push), production images the policy expires or archives now, production images outranked in
 * a count rule because they share a digest, and whether ECR would accept the policy at all.
 */
public record RepositoryAudit(
        RepositoryName repository,
        PolicyVerdict policy,
        int imageCount,
        List<ProductionImage> sharedDigests,
        List<ProductionImage> expiring,
        List<ProductionImage> outranked) {

    public RepositoryAudit {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(policy);
        sharedDigests = List.copyOf(sharedDigests);
        expiring = List.copyOf(expiring);
        outranked = List.copyOf(outranked);
    }

    /** Whether the policy exists and ECR would accept it. */
    public record PolicyVerdict(Status status, String detail) {
        public enum Status { NONE, VALID, REJECTED }

        public PolicyVerdict {
            Objects.requireNonNull(status);
            Objects.requireNonNull(detail);
        }
    }

    /**
     * A production image and what the policy does with it.
     *
     * @param productionAbove production images the deciding count rule ranks above this one
     */
    public record ProductionImage(Digest digest, List<Tag> productionTags, List<Tag> tags, Instant rankedAt,
            ImageDecision.Action action, Optional<LifecycleRule> rule, Optional<CountStanding> standing,
            int productionAbove) {

        public ProductionImage {
            productionTags = List.copyOf(productionTags);
            tags = List.copyOf(tags);
        }
    }

    /** Whether anything here can cost a release: a shared digest or a production image expiring now. */
    public boolean atRisk() {
        return !sharedDigests.isEmpty() || !expiring.isEmpty() || policy.status() == PolicyVerdict.Status.REJECTED;
    }

    /**
     * @param productionTags which tags are releases; when empty, the patterns of the policy's tagged count rules (the
     *                       rules that "keep the last N releases") stand in for them
     */
    public static RepositoryAudit of(RepositoryName repository, Optional<String> policyText, List<ImageRecord> images,
            Optional<ProductionTags> productionTags, Instant now) {
        Optional<LifecyclePolicy> policy = Optional.empty();
        PolicyVerdict verdict;
        if (policyText.isEmpty()) {
            verdict = new PolicyVerdict(PolicyVerdict.Status.NONE, "no lifecycle policy: ECR expires nothing");
        } else {
            try {
                policy = Optional.of(LifecyclePolicyParser.parse(policyText.get()));
                verdict = new PolicyVerdict(PolicyVerdict.Status.VALID, policy.get().rules().size() + " rule"
                        + (policy.get().rules().size() == 1 ? "" : "s"));
            } catch (LifecyclePolicyException e) {
                verdict = new PolicyVerdict(PolicyVerdict.Status.REJECTED, e.getMessage());
            }
        }
        Optional<LifecyclePolicy> valid = policy;
        Optional<ProductionTags> releases = productionTags.or(() -> valid.flatMap(RepositoryAudit::countRulePatterns));
        if (releases.isEmpty()) {
            return new RepositoryAudit(repository, verdict, images.size(), List.of(), List.of(), List.of());
        }
        List<ImageDecision> decisions = policy
                .map(p -> LifecycleEngine.evaluate(p, images, now).decisions())
                .orElseGet(() -> images.stream().<ImageDecision>map(ImageDecision.Keep::unselected).toList());
        Map<Digest, Integer> productionAbove = productionAboveInCountRules(decisions, releases.get());

        List<ProductionImage> shared = new ArrayList<>();
        List<ProductionImage> expiring = new ArrayList<>();
        List<ProductionImage> outranked = new ArrayList<>();
        for (ImageDecision decision : decisions) {
            List<Tag> production = releases.get().select(decision.image().tags());
            if (production.isEmpty()) {
                continue;
            }
            ProductionImage entry = new ProductionImage(decision.digest(), production, decision.image().tags(),
                    LifecycleEngine.rankTime(decision.image()), decision.action(), decision.decidingRule(),
                    decision.standing(), productionAbove.getOrDefault(decision.digest(), 0));
            if (production.size() > 1) {
                shared.add(entry);
                if (entry.standing().isPresent() && entry.productionAbove() > 0) {
                    outranked.add(entry);
                }
            }
            if (decision.action() != ImageDecision.Action.KEEP) {
                expiring.add(entry);
            }
        }
        Comparator<ProductionImage> newestFirst = Comparator.comparing(ProductionImage::rankedAt).reversed()
                .thenComparing(ProductionImage::digest);
        shared.sort(newestFirst);
        expiring.sort(newestFirst);
        outranked.sort(newestFirst);
        return new RepositoryAudit(repository, verdict, images.size(), shared, expiring, outranked);
    }

    private static Optional<ProductionTags> countRulePatterns(LifecyclePolicy policy) {
        List<TagPattern> patterns = policy.rules().stream()
                .filter(rule -> rule.isCountRule() && rule.tagFilter().isPresent())
                .flatMap(rule -> rule.tagFilter().get().patterns().stream())
                .distinct()
                .toList();
        return patterns.isEmpty() ? Optional.empty() : Optional.of(new ProductionTags(patterns));
    }

    /** For each image decided by a count rule: how many production images that rule ranks above it. */
    private static Map<Digest, Integer> productionAboveInCountRules(List<ImageDecision> decisions,
            ProductionTags releases) {
        Map<LifecycleRule, List<ImageDecision>> byRule = new HashMap<>();
        for (ImageDecision decision : decisions) {
            if (decision.standing().isPresent()) {
                byRule.computeIfAbsent(decision.decidingRule().orElseThrow(), k -> new ArrayList<>()).add(decision);
            }
        }
        Map<Digest, Integer> above = new HashMap<>();
        for (List<ImageDecision> ranked : byRule.values()) {
            ranked.sort(Comparator.comparingInt(d -> d.standing().orElseThrow().rank()));
            int production = 0;
            for (ImageDecision decision : ranked) {
                above.put(decision.digest(), production);
                if (!releases.select(decision.image().tags()).isEmpty()) {
                    production++;
                }
            }
        }
        return above;
    }
}
