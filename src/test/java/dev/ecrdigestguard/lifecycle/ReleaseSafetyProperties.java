package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The rules of release safety that must hold for any repository, against a plain re-statement of them. */
class ReleaseSafetyProperties {

    static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");
    static final Instant NOW = TestImages.NOW;

    /** Images from (push days ago, release days ago or -1 for unrecorded, production?) triples. */
    static List<ImageRecord> images(List<Integer> pushed, List<Integer> releasedAfter, List<Boolean> production,
            Map<Tag, Release> recorded) {
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < pushed.size(); i++) {
            Instant at = NOW.minus(Duration.ofHours(pushed.get(i)));
            String tag = (production.get(i % production.size()) ? "tag-" : "git-") + i;
            images.add(TestImages.image("image-" + i, at, tag));
            int after = releasedAfter.get(i % releasedAfter.size());
            if (after >= 0 && tag.startsWith("tag-")) {
                Instant released = at.plus(Duration.ofHours(after));
                recorded.put(Tag.of(tag), new Release(Tag.of(tag), released.isAfter(NOW) ? NOW : released,
                        Release.Source.LEDGER));
            }
        }
        return images;
    }

    @Property(tries = 200)
    void outrankedBy_countsExactlyTheProductionImagesRankedAboveButReleasedNoLater(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 2000) Integer> pushedHoursAgo,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = -1, max = 500) Integer> releasedHoursAfter,
            @ForAll @Size(min = 1, max = 40) List<Boolean> production,
            @ForAll @IntRange(min = 1, max = 10) int keep) {
        Map<Tag, Release> recorded = new HashMap<>();
        List<ImageRecord> images = images(pushedHoursAgo, releasedHoursAfter, production, recorded);
        LifecyclePolicy policy = LifecyclePolicy.of(LifecycleRule.expire(1, "keep", TagStatus.TAGGED,
                java.util.Optional.of(TagFilter.patterns("tag-*")), CountType.IMAGE_COUNT_MORE_THAN, keep));

        List<ReleaseStanding> standings = ReleaseSafety.assess(policy, images, PRODUCTION, recorded, NOW,
                Duration.ZERO);

        for (ReleaseStanding standing : standings) {
            long expected = standings.stream()
                    .filter(other -> other != standing)
                    .filter(other -> ranksAbove(other.image(), standing.image()))
                    .filter(other -> !other.releasedAt().isAfter(standing.releasedAt()))
                    .count();
            assertThat(standing.outrankedBy()).as(standing.image().digest().shortForm()).isEqualTo((int) expected);
        }
    }

    @Property(tries = 200)
    void aReleaseIsOutOfTurn_onlyWhenTheRankingByReleaseKeepsIt_andNeverWithoutARecordedRelease(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 2000) Integer> pushedHoursAgo,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = -1, max = 500) Integer> releasedHoursAfter,
            @ForAll @Size(min = 1, max = 30) List<Boolean> production,
            @ForAll @IntRange(min = 1, max = 8) int keep,
            @ForAll @IntRange(min = 1, max = 60) int days) {
        Map<Tag, Release> recorded = new HashMap<>();
        List<ImageRecord> images = images(pushedHoursAgo, releasedHoursAfter, production, recorded);
        LifecyclePolicy policy = LifecyclePolicy.of(
                LifecycleRule.expire(1, "keep", TagStatus.TAGGED, java.util.Optional.of(TagFilter.patterns("tag-*")),
                        CountType.IMAGE_COUNT_MORE_THAN, keep),
                LifecycleRule.expire(2, "age", TagStatus.ANY, java.util.Optional.empty(),
                        CountType.SINCE_IMAGE_PUSHED, days));

        List<ReleaseStanding> standings = ReleaseSafety.assess(policy, images, PRODUCTION, recorded, NOW,
                Duration.ofHours(24));

        for (ReleaseStanding standing : standings) {
            switch (standing.verdict()) {
                case OUT_OF_TURN -> {
                    assertThat(standing.actual().action()).isNotEqualTo(ImageDecision.Action.KEEP);
                    assertThat(standing.intended().action()).isEqualTo(ImageDecision.Action.KEEP);
                    assertThat(standing.releaseTimesRecorded()).isTrue();
                }
                case ROTATION -> {
                    assertThat(standing.actual().action()).isNotEqualTo(ImageDecision.Action.KEEP);
                    assertThat(standing.intended().action()).isNotEqualTo(ImageDecision.Action.KEEP);
                }
                case KEPT -> assertThat(standing.dueAt()).isEmpty();
            }
        }
    }

    private static boolean ranksAbove(ImageRecord a, ImageRecord b) {
        int byTime = LifecycleEngine.rankTime(a).compareTo(LifecycleEngine.rankTime(b));
        return byTime > 0 || byTime == 0 && a.digest().compareTo(b.digest()) < 0;
    }
}
