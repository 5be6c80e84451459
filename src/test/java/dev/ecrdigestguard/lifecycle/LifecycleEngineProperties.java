package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class LifecycleEngineProperties {

    private static final String[] TAG_POOL = {"prod-1", "prod-2", "v1", "v2", "git-a", "git-b", "latest"};

    @Provide
    Arbitrary<List<ImageRecord>> images() {
        Arbitrary<ImageRecord> image = Combinators.combine(
                Arbitraries.strings().alpha().ofLength(12),
                Arbitraries.of(TAG_POOL).set().ofMaxSize(3),
                Arbitraries.longs().between(0, 400),
                Arbitraries.integers().between(0, 9))
                .as((name, tags, ageDays, kind) -> {
                    ImageRecord plain = TestImages.image(name, TestImages.daysAgo(ageDays), tags.stream().sorted()
                            .toArray(String[]::new));
                    return kind == 0 ? TestImages.archived(plain, TestImages.daysAgo(ageDays / 2)) : plain;
                });
        return image.list().ofMaxSize(60).uniqueElements(ImageRecord::digest);
    }

    @Provide
    Arbitrary<LifecyclePolicy> policies() {
        Arbitrary<LifecycleRule> prodCount = Arbitraries.integers().between(1, 5).map(n -> LifecycleRule.expire(1,
                "prod", TagStatus.TAGGED, Optional.of(TagFilter.prefixes("prod")), CountType.IMAGE_COUNT_MORE_THAN, n));
        Arbitrary<LifecycleRule> vAge = Arbitraries.integers().between(1, 200).map(n -> new LifecycleRule(2,
                Optional.empty(), TagStatus.TAGGED, Optional.of(TagFilter.patterns("v*")), StorageClass.STANDARD,
                CountType.SINCE_IMAGE_PULLED, n, RuleAction.TRANSITION));
        Arbitrary<LifecycleRule> untagged = Arbitraries.integers().between(1, 4).map(n -> LifecycleRule.expire(3,
                null, TagStatus.UNTAGGED, Optional.empty(), CountType.IMAGE_COUNT_MORE_THAN, n));
        Arbitrary<LifecycleRule> archive = Arbitraries.integers().between(1, 200).map(n -> new LifecycleRule(4,
                Optional.empty(), TagStatus.TAGGED, Optional.of(TagFilter.patterns("*")), StorageClass.ARCHIVE,
                CountType.SINCE_IMAGE_TRANSITIONED, n, RuleAction.EXPIRE));
        Arbitrary<LifecycleRule> any = Arbitraries.integers().between(1, 30).map(n -> LifecycleRule.expire(9,
                null, TagStatus.ANY, Optional.empty(), CountType.IMAGE_COUNT_MORE_THAN, n));
        return Combinators.combine(prodCount, vAge, untagged, archive, any, Arbitraries.integers().between(1, 31))
                .as((a, b, c, d, e, mask) -> {
                    List<LifecycleRule> rules = new ArrayList<>();
                    List<LifecycleRule> all = List.of(a, b, c, d, e);
                    for (int i = 0; i < all.size(); i++) {
                        if ((mask & (1 << i)) != 0) {
                            rules.add(all.get(i));
                        }
                    }
                    return new LifecyclePolicy(rules);
                });
    }

    @Property
    void evaluate_decidesEveryImageExactlyOnce(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images) {
        LifecycleEvaluation result = LifecycleEngine.evaluate(policy, images, TestImages.NOW);

        assertThat(result.decisions()).extracting(ImageDecision::image).containsExactlyElementsOf(images);
    }

    @Property
    void evaluate_actsOnlyThroughTheFirstRuleThatSelectsTheImage(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images) {
        LifecycleEvaluation result = LifecycleEngine.evaluate(policy, images, TestImages.NOW);

        for (ImageDecision decision : result.decisions()) {
            Optional<LifecycleRule> first = policy.rules().stream().filter(r -> r.selects(decision.image())).findFirst();
            assertThat(decision.decidingRule()).isEqualTo(first);
        }
    }

    @Property
    void evaluate_countRuleNeverRemovesMoreThanSelectedMinusCount(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images) {
        LifecycleEvaluation result = LifecycleEngine.evaluate(policy, images, TestImages.NOW);

        for (LifecycleRule rule : policy.rules()) {
            if (!rule.isCountRule()) {
                continue;
            }
            long selected = images.stream().filter(rule::selects).count();
            long removed = result.decisions().stream()
                    .filter(d -> d.action() != ImageDecision.Action.KEEP)
                    .filter(d -> d.decidingRule().equals(Optional.of(rule)))
                    .count();
            assertThat(removed).isLessThanOrEqualTo(Math.max(0, selected - rule.countNumber()));
        }
    }

    @Property
    void evaluate_neverRemovesAnImageNewerThanOneItKeepsInTheSameCountRule(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images) {
        LifecycleEvaluation result = LifecycleEngine.evaluate(policy, images, TestImages.NOW);

        for (ImageDecision removed : result.decisions()) {
            if (removed.action() == ImageDecision.Action.KEEP || removed.standing().isEmpty()) {
                continue;
            }
            Instant removedTime = LifecycleEngine.rankTime(removed.image());
            result.decisions().stream()
                    .filter(kept -> kept.action() == ImageDecision.Action.KEEP)
                    .filter(kept -> kept.decidingRule().equals(removed.decidingRule()))
                    .forEach(kept -> assertThat(LifecycleEngine.rankTime(kept.image()))
                            .isAfterOrEqualTo(removedTime));
        }
    }

    @Property
    void evaluate_doesNotDependOnInputOrder(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        List<ImageRecord> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new java.util.Random(seed));

        LifecycleEvaluation original = LifecycleEngine.evaluate(policy, images, TestImages.NOW);
        LifecycleEvaluation reordered = LifecycleEngine.evaluate(policy, shuffled, TestImages.NOW);

        for (ImageDecision decision : original.decisions()) {
            assertThat(reordered.decisionFor(decision.digest())).contains(decision);
        }
    }

    @Property
    void evaluate_neverExpiresAnImageNoRuleSelects(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images) {
        LifecycleEvaluation result = LifecycleEngine.evaluate(policy, images, TestImages.NOW);

        result.decisions().stream()
                .filter(d -> policy.rules().stream().noneMatch(r -> r.selects(d.image())))
                .forEach(d -> assertThat(d.action()).isEqualTo(ImageDecision.Action.KEEP));
    }
}
