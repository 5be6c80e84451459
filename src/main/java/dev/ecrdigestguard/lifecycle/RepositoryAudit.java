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
import java.util.function.Consumer;

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
        Auditing auditing = auditing(policyText, productionTags, now);
        images.forEach(auditing);
        return auditing.finish(repository);
    }

    /**
     * An audit built from images handed over one at a time (a {@code describe-images} file being read, pages of a
     * listing), holding only the production images and what the policy's evaluation must hold
     * ({@link StreamingEvaluation}), never the repository. Images with index children are refused, as by the
     * streaming evaluation.
     */
    public static Auditing auditing(Optional<String> policyText, Optional<ProductionTags> productionTags,
            Instant now) {
        return new Auditing(policyText, productionTags, now);
    }

    /** The audit of one repository while its images arrive; {@link #finish} gives the result. */
    public static final class Auditing implements Consumer<ImageRecord> {
        private final PolicyVerdict verdict;
        private final Optional<ProductionTags> releases;
        private final Optional<StreamingEvaluation> evaluation;
        private final List<ProductionImage> shared = new ArrayList<>();
        private final List<ProductionImage> expiring = new ArrayList<>();
        private final List<ProductionImage> outranked = new ArrayList<>();
        private final Map<LifecycleRule, Integer> productionRanked = new HashMap<>();
        private int imageCount;

        private Auditing(Optional<String> policyText, Optional<ProductionTags> productionTags, Instant now) {
            Optional<LifecyclePolicy> policy = Optional.empty();
            if (policyText.isEmpty()) {
                verdict = new PolicyVerdict(PolicyVerdict.Status.NONE, "no lifecycle policy: ECR expires nothing");
            } else {
                PolicyVerdict parsed;
                try {
                    policy = Optional.of(LifecyclePolicyParser.parse(policyText.get()));
                    int rules = policy.get().rules().size();
                    parsed = new PolicyVerdict(PolicyVerdict.Status.VALID, rules + " rule" + (rules == 1 ? "" : "s"));
                } catch (LifecyclePolicyException e) {
                    parsed = new PolicyVerdict(PolicyVerdict.Status.REJECTED, e.getMessage());
                }
                verdict = parsed;
            }
            Optional<LifecyclePolicy> valid = policy;
            releases = productionTags.or(() -> valid.flatMap(RepositoryAudit::countRulePatterns));
            evaluation = releases.isEmpty() ? Optional.empty()
                    : policy.map(p -> StreamingEvaluation.start(p, now, this::decided));
        }

        @Override
        public void accept(ImageRecord image) {
            imageCount++;
            if (evaluation.isPresent()) {
                evaluation.get().accept(image);
            } else if (releases.isPresent()) {
                decided(ImageDecision.Keep.unselected(image));
            }
        }

        /**
         * Decisions of count rules arrive rule by rule, youngest first (the streaming evaluation's order), so the
         * production images a rule ranks above this one are those of its rule counted so far.
         */
        private void decided(ImageDecision decision) {
            List<Tag> production = releases.orElseThrow().select(decision.image().tags());
            int productionAbove = 0;
            if (decision.standing().isPresent()) {
                LifecycleRule rule = decision.decidingRule().orElseThrow();
                productionAbove = productionRanked.getOrDefault(rule, 0);
                if (!production.isEmpty()) {
                    productionRanked.put(rule, productionAbove + 1);
                }
            }
            if (production.isEmpty()) {
                return;
            }
            ProductionImage entry = new ProductionImage(decision.digest(), production, decision.image().tags(),
                    LifecycleEngine.rankTime(decision.image()), decision.action(), decision.decidingRule(),
                    decision.standing(), productionAbove);
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

        /** The audit of {@code repository}, once all its images were handed over. */
        public RepositoryAudit finish(RepositoryName repository) {
            evaluation.ifPresent(StreamingEvaluation::finish);
            Comparator<ProductionImage> newestFirst = Comparator.comparing(ProductionImage::rankedAt).reversed()
                    .thenComparing(ProductionImage::digest);
            shared.sort(newestFirst);
            expiring.sort(newestFirst);
            outranked.sort(newestFirst);
            return new RepositoryAudit(repository, verdict, imageCount, shared, expiring, outranked);
        }
    }

    private static Optional<ProductionTags> countRulePatterns(LifecyclePolicy policy) {
        List<TagPattern> patterns = policy.rules().stream()
                .filter(rule -> rule.isCountRule() && rule.tagFilter().isPresent())
                .flatMap(rule -> rule.tagFilter().get().patterns().stream())
                .distinct()
                .toList();
        return patterns.isEmpty() ? Optional.empty() : Optional.of(new ProductionTags(patterns));
    }
}
