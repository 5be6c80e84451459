package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.ImageRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamingEvaluation} gives exactly {@link LifecycleEngine#evaluate}'s decisions, in its documented order, over
 * policies that mix count, age, transition and archive rules and repositories with equal push times, repeated
 * digests, restored and archived images, and times from 1970 to 9999.
 */
class StreamingEvaluationProperties {

    @Property(tries = 1500)
    void stream_givesEvaluatesDecisions_forEveryImage(@ForAll("policies") LifecyclePolicy policy,
            @ForAll("images") List<ImageRecord> images) {
        List<ImageDecision> expected = LifecycleEngine.evaluate(policy, images, TestImages.NOW).decisions();

        List<ImageDecision> streamed = stream(policy, images);

        assertThat(streamed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Property(tries = 500)
    void stream_handsOnImmediateDecisionsInArrivalOrder_thenCountRulesByPriorityAndRank(
            @ForAll("policies") LifecyclePolicy policy, @ForAll("images") List<ImageRecord> images) {
        List<ImageDecision> streamed = stream(policy, images);

        int firstCounted = IntStream.range(0, streamed.size()).filter(i -> decidedByCount(streamed.get(i)))
                .findFirst().orElse(streamed.size());
        List<ImageRecord> immediate = images.stream().filter(image -> streamed.stream()
                .anyMatch(d -> d.image() == image && !decidedByCount(d))).toList();
        assertThat(streamed.subList(0, firstCounted)).extracting(ImageDecision::image)
                .containsExactlyElementsOf(immediate);
        List<ImageDecision> counted = streamed.subList(firstCounted, streamed.size());
        assertThat(counted).allMatch(StreamingEvaluationProperties::decidedByCount)
                .isSortedAccordingTo(Comparator.comparingInt((ImageDecision d) -> d.rulePriority().getAsInt())
                        .thenComparingInt(ImageDecision::rank));
    }

    @Property(tries = 300)
    void stream_handsOnEachImageNotDecidedByACountRule_beforeTheNextArrives(
            @ForAll("policies") LifecyclePolicy policy, @ForAll("images") List<ImageRecord> images) {
        List<ImageDecision> streamed = new ArrayList<>();
        StreamingEvaluation evaluation = StreamingEvaluation.start(policy, TestImages.NOW, streamed::add);

        for (ImageRecord image : images) {
            int before = streamed.size();
            evaluation.accept(image);
            boolean countDecides = policy.rules().stream().filter(rule -> rule.selects(image)).findFirst()
                    .map(LifecycleRule::isCountRule).orElse(false);
            assertThat(streamed.size() - before).isEqualTo(countDecides ? 0 : 1);
        }
    }

    @Property(tries = 1000)
    void youngestFirst_ordersByTimeThenDigestThenArrival(@ForAll("images") List<ImageRecord> images) {
        long[] millis = images.stream().mapToLong(image -> LifecycleEngine.rankTime(image).toEpochMilli()).toArray();
        List<Integer> expected = IntStream.range(0, images.size()).boxed()
                .sorted(Comparator.<Integer>comparingLong(i -> -millis[i])
                        .thenComparing(i -> images.get(i).digest())
                        .thenComparingInt(i -> i))
                .toList();

        int[] order = CountRanking.youngestFirst(millis, images.size(),
                (a, b) -> images.get(a).digest().compareTo(images.get(b).digest()));

        assertThat(order).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Times at both ends of a long too, so the packed key can't hold them and distinct times are ranked instead. */
    @Property(tries = 1000)
    void youngestFirst_ordersByTimeThenDigestThenArrival_whateverTheSpan(
            @ForAll("times") List<Long> times, @ForAll("digestOrders") List<Integer> digestOrder) {
        int n = Math.min(times.size(), digestOrder.size());
        long[] millis = times.stream().mapToLong(Long::longValue).limit(n).toArray();
        List<Integer> expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingLong(i -> millis[i]).reversed()
                        .thenComparing(i -> digestOrder.get(i))
                        .thenComparingInt(i -> i))
                .toList();

        int[] order = CountRanking.youngestFirst(millis, n, (a, b) -> digestOrder.get(a).compareTo(digestOrder.get(b)));

        assertThat(order).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    @Provide
    Arbitrary<List<Long>> times() {
        return Arbitraries.oneOf(Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, 1L << 50,
                Long.MAX_VALUE - 1, Long.MAX_VALUE), Arbitraries.longs()).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Integer>> digestOrders() {
        return Arbitraries.integers().between(0, 5).list().ofMinSize(60).ofMaxSize(60);
    }

    @Test
    void stream_refusesAnIndexWithChildren_whichOnlyEvaluateCanHold() {
        ImageRecord child = TestImages.image("child", TestImages.daysAgo(3));
        ImageRecord index = TestImages.index(TestImages.image("index", TestImages.daysAgo(3), "v1"), child);
        StreamingEvaluation evaluation = StreamingEvaluation.start(LifecyclePolicy.of(LifecycleRule.expire(1, null,
                TagStatus.ANY, Optional.empty(), CountType.IMAGE_COUNT_MORE_THAN, 1)), TestImages.NOW, d -> { });

        assertThatThrownBy(() -> evaluation.accept(index))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is an index with children");
    }

    private static boolean decidedByCount(ImageDecision decision) {
        return decision.decidingRule().map(LifecycleRule::isCountRule).orElse(false);
    }

    private static List<ImageDecision> stream(LifecyclePolicy policy, List<ImageRecord> images) {
        List<ImageDecision> streamed = new ArrayList<>();
        StreamingEvaluation evaluation = StreamingEvaluation.start(policy, TestImages.NOW, streamed::add);
        images.forEach(evaluation);
        evaluation.finish();
        return streamed;
    }

    @Provide
    Arbitrary<List<ImageRecord>> images() {
        return LifecycleArbitraries.images();
    }

    @Provide
    Arbitrary<LifecyclePolicy> policies() {
        return LifecycleArbitraries.policies();
    }
}
