package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.RepositoryAudit.ProductionImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The audit built from images one at a time (over {@link StreamingEvaluation}) finds what the audit over
 * {@link LifecycleEngine#evaluate} found: the same shared digests, expiring and outranked releases, each with the same
 * decision and the same number of production images ranked above it.
 */
class RepositoryAuditProperties {

    private static final RepositoryName REPOSITORY = RepositoryName.of("shop/web");

    @Property(tries = 1000)
    void audit_findsWhatTheAuditOverEvaluateFinds(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images, @ForAll("releases") ProductionTags releases) {
        List<ImageRecord> unique = uniqueDigests(images);
        String policyText = PolicyJson.of(policy);

        RepositoryAudit audit = RepositoryAudit.of(REPOSITORY, Optional.of(policyText), unique,
                Optional.of(releases), TestImages.NOW);

        Expected expected = overEvaluate(LifecyclePolicyParser.parse(policyText), unique, releases);
        assertThat(audit.policy().status()).isEqualTo(RepositoryAudit.PolicyVerdict.Status.VALID);
        assertThat(audit.imageCount()).isEqualTo(unique.size());
        assertThat(audit.sharedDigests()).containsExactlyElementsOf(expected.shared());
        assertThat(audit.expiring()).containsExactlyElementsOf(expected.expiring());
        assertThat(audit.outranked()).containsExactlyElementsOf(expected.outranked());
    }

    /** Digests repeat in the generated repositories; a repository lists each digest once. */
    private static List<ImageRecord> uniqueDigests(List<ImageRecord> images) {
        Map<Digest, ImageRecord> byDigest = new LinkedHashMap<>();
        images.forEach(image -> byDigest.putIfAbsent(image.digest(), image));
        return new ArrayList<>(byDigest.values());
    }

    record Expected(List<ProductionImage> shared, List<ProductionImage> expiring, List<ProductionImage> outranked) {
    }

    /** The audit as it was computed before it streamed: all decisions at once, production images above by rule. */
    private static Expected overEvaluate(LifecyclePolicy policy, List<ImageRecord> images, ProductionTags releases) {
        List<ImageDecision> decisions = LifecycleEngine.evaluate(policy, images, TestImages.NOW).decisions();
        Map<LifecycleRule, List<ImageDecision>> byRule = new HashMap<>();
        for (ImageDecision decision : decisions) {
            if (decision.standing().isPresent()) {
                byRule.computeIfAbsent(decision.decidingRule().orElseThrow(), k -> new ArrayList<>()).add(decision);
            }
        }
        Map<Digest, Integer> above = new HashMap<>();
        for (List<ImageDecision> ranked : byRule.values()) {
            ranked.sort(Comparator.comparingInt(ImageDecision::rank));
            int production = 0;
            for (ImageDecision decision : ranked) {
                above.put(decision.digest(), production);
                if (!releases.select(decision.image().tags()).isEmpty()) {
                    production++;
                }
            }
        }
        List<ProductionImage> shared = new ArrayList<>();
        List<ProductionImage> expiring = new ArrayList<>();
        List<ProductionImage> outranked = new ArrayList<>();
        for (ImageDecision decision : decisions) {
            List<Tag> production = releases.select(decision.image().tags());
            if (production.isEmpty()) {
                continue;
            }
            ProductionImage entry = new ProductionImage(decision.digest(), production, decision.image().tags(),
                    LifecycleEngine.rankTime(decision.image()), decision.action(), decision.decidingRule(),
                    decision.standing(), above.getOrDefault(decision.digest(), 0));
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
        return new Expected(shared, expiring, outranked);
    }

    @Provide
    Arbitrary<List<ImageRecord>> images() {
        return LifecycleArbitraries.images();
    }

    @Provide
    Arbitrary<LifecyclePolicy> policies() {
        return LifecycleArbitraries.policies();
    }

    @Provide
    Arbitrary<ProductionTags> releases() {
        return Arbitraries.of("prod-*", "prod-*,v*", "v*,rc-*,git-*", "*").map(ProductionTags::parse);
    }
}
