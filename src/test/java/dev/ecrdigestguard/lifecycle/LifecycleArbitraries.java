package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.InstantRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Repositories and policies for the properties that hold the streaming evaluation and audit to the engine. */
final class LifecycleArbitraries {

    private static final String[] TAG_POOL = {"prod-1", "prod-2", "v1", "v2", "git-a", "git-b", "latest", "rc-1"};

    private LifecycleArbitraries() {
    }

    /**
     * Up to 80 images whose digests come from 40 names (so some repeat), pushed on one of a few days (so times tie),
     * some pulled, archived or restored, and now and then at the edges of the supported range.
     */
    static Arbitrary<List<ImageRecord>> images() {
        Arbitrary<Instant> pushed = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(0L, 1L, 2L, 10L, 30L, 89L, 90L, 91L, 200L, 400L)
                        .map(TestImages::daysAgo)),
                Tuple.of(1, Arbitraries.of(InstantRange.EARLIEST, Instant.parse("9999-12-31T00:00:00Z"),
                        TestImages.daysAgo(5).plusMillis(1), TestImages.daysAgo(5).plusNanos(1))));
        Arbitrary<ImageRecord> image = Combinators.combine(
                Arbitraries.integers().between(0, 40),
                Arbitraries.of(TAG_POOL).set().ofMaxSize(3),
                pushed,
                Arbitraries.integers().between(0, 9),
                Arbitraries.longs().between(0, 60))
                .as((name, tags, pushedAt, kind, days) -> {
                    ImageRecord plain = TestImages.image("image-" + name, pushedAt,
                            tags.stream().sorted().toArray(String[]::new));
                    return switch (kind) {
                        case 0 -> TestImages.archived(plain, TestImages.daysAgo(days * 5));
                        case 1 -> TestImages.restored(plain, TestImages.daysAgo(days + 10), TestImages.daysAgo(days));
                        case 2, 3 -> TestImages.pulled(plain, TestImages.daysAgo(days));
                        default -> plain;
                    };
                });
        return image.list().ofMaxSize(80);
    }

    /** Any subset of eight rules: three count rules, age rules of every kind, transitions, an archive any rule. */
    static Arbitrary<LifecyclePolicy> policies() {
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 6);
        Arbitrary<Integer> days = Arbitraries.of(1, 5, 14, 30, 90, 180);
        List<Arbitrary<LifecycleRule>> candidates = List.of(
                count.map(n -> LifecycleRule.expire(1, "prod", TagStatus.TAGGED,
                        Optional.of(TagFilter.prefixes("prod")), CountType.IMAGE_COUNT_MORE_THAN, n)),
                days.map(n -> new LifecycleRule(2, Optional.empty(), TagStatus.TAGGED,
                        Optional.of(TagFilter.patterns("v*")), StorageClass.STANDARD, CountType.SINCE_IMAGE_PULLED, n,
                        RuleAction.TRANSITION)),
                count.map(n -> new LifecycleRule(3, Optional.of("rc"), TagStatus.TAGGED,
                        Optional.of(TagFilter.patterns("rc-*")), StorageClass.STANDARD,
                        CountType.IMAGE_COUNT_MORE_THAN, n, RuleAction.TRANSITION)),
                days.map(n -> LifecycleRule.expire(4, null, TagStatus.TAGGED, Optional.of(TagFilter.prefixes("git")),
                        CountType.SINCE_IMAGE_PUSHED, n)),
                count.map(n -> LifecycleRule.expire(5, null, TagStatus.UNTAGGED, Optional.empty(),
                        CountType.IMAGE_COUNT_MORE_THAN, n)),
                days.map(n -> new LifecycleRule(6, Optional.empty(), TagStatus.TAGGED,
                        Optional.of(TagFilter.patterns("*")), StorageClass.ARCHIVE,
                        CountType.SINCE_IMAGE_TRANSITIONED, n, RuleAction.EXPIRE)),
                count.map(n -> new LifecycleRule(7, Optional.empty(), TagStatus.ANY, Optional.empty(),
                        StorageClass.ARCHIVE, CountType.IMAGE_COUNT_MORE_THAN, n, RuleAction.EXPIRE)),
                Arbitraries.oneOf(count.map(n -> LifecycleRule.expire(9, null, TagStatus.ANY, Optional.empty(),
                        CountType.IMAGE_COUNT_MORE_THAN, n)), days.map(n -> LifecycleRule.expire(9, null,
                        TagStatus.ANY, Optional.empty(), CountType.SINCE_IMAGE_PUSHED, n))));
        return Combinators.combine(candidates).as(rules -> rules).flatMap(rules -> Arbitraries.integers()
                .between(1, 255).map(mask -> {
                    List<LifecycleRule> chosen = new ArrayList<>();
                    for (int i = 0; i < rules.size(); i++) {
                        if ((mask & (1 << i)) != 0) {
                            chosen.add(rules.get(i));
                        }
                    }
                    return new LifecyclePolicy(chosen);
                }));
    }
}
