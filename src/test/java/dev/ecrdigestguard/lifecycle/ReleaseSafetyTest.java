package dev.ecrdigestguard.lifecycle;

import static dev.ecrdigestguard.lifecycle.TestImages.NOW;
import static dev.ecrdigestguard.lifecycle.TestImages.daysAgo;
import static dev.ecrdigestguard.lifecycle.TestImages.digest;
import static dev.ecrdigestguard.lifecycle.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.ReleaseStanding.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseSafetyTest {

    static final LifecyclePolicy KEEP_LAST_5 = LifecyclePolicyParser.parse(LifecyclePolicyParserTest.STORY_POLICY);
    static final LifecyclePolicy KEEP_21_DAYS = LifecyclePolicyParser.parse("""
            {"rules":[{"rulePriority":1,"description":"Keep production images 21 days","selection":{
              "tagStatus":"tagged","tagPatternList":["tag-*"],"countType":"sinceImagePushed","countUnit":"days",
              "countNumber":21},"action":{"type":"expire"}}]}""");
    static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");

    static Map<Tag, Release> ledger(Object... tagsAndTimes) {
        Map<Tag, Release> recorded = new HashMap<>();
        for (int i = 0; i < tagsAndTimes.length; i += 2) {
            Tag tag = Tag.of((String) tagsAndTimes[i]);
            recorded.put(tag, new Release(tag, (Instant) tagsAndTimes[i + 1], Release.Source.LEDGER));
        }
        return recorded;
    }

    static ReleaseStanding standingOf(List<ReleaseStanding> standings, String name) {
        return standings.stream().filter(s -> s.image().digest().equals(digest(name))).findFirst().orElseThrow();
    }

    /** The write-up: a release on the digest of an older one, five releases pushed in between. */
    static List<ImageRecord> story() {
        List<ImageRecord> images = new ArrayList<>(List.of(image("shared", daysAgo(8), "git-325dc21f",
                "tag-1-252-0", "tag-1-253-0")));
        for (int i = 0; i < 5; i++) {
            images.add(image("r" + i, daysAgo(7 - i), "tag-1-252-" + (i + 1)));
        }
        return images;
    }

    @Test
    void assess_callsTheSharedDigestOutOfTurn_whenTheLedgerKnowsTheReleaseIsNew() {
        // GIVEN tag-1-253-0 released an hour ago on a digest pushed 8 days ago
        List<ReleaseStanding> standings = ReleaseSafety.assess(KEEP_LAST_5, story(), PRODUCTION,
                ledger("tag-1-253-0", NOW.minusSeconds(3600)), NOW, Duration.ZERO);

        // THEN ECR deletes it (6th by push time); by release time it is the newest: out of turn
        ReleaseStanding shared = standingOf(standings, "shared");
        assertThat(shared.verdict()).isEqualTo(Verdict.OUT_OF_TURN);
        assertThat(shared.actual().action()).isEqualTo(ImageDecision.Action.EXPIRE);
        assertThat(shared.actual().standing().orElseThrow().rank()).isEqualTo(6);
        assertThat(shared.intended().action()).isEqualTo(ImageDecision.Action.KEEP);
        assertThat(shared.newestRelease().tag()).isEqualTo(Tag.of("tag-1-253-0"));
        assertThat(shared.productionTags()).extracting(Tag::value).containsExactly("tag-1-253-0", "tag-1-252-0");
        assertThat(shared.releasedAt()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(shared.dueAt()).contains(NOW);
        assertThat(shared.outrankedBy()).isEqualTo(5);
        assertThat(shared.countToKeepReleases()).hasValue(6);
        assertThat(standings.get(0)).isSameAs(shared);
    }

    @Test
    void assess_callsTheSameExpiryRotation_whenNothingSaysTheReleaseIsNewerThanItsDigest() {
        List<ReleaseStanding> standings = ReleaseSafety.assess(KEEP_LAST_5, story(), PRODUCTION, Map.of(), NOW,
                Duration.ZERO);

        ReleaseStanding shared = standingOf(standings, "shared");
        assertThat(shared.verdict()).isEqualTo(Verdict.ROTATION);
        assertThat(shared.releaseTimesRecorded()).isFalse();
        assertThat(shared.newestRelease().source()).isEqualTo(Release.Source.IMAGE_PUSHED_AT);
        assertThat(shared.outrankedBy()).isZero();
    }

    @Test
    void assess_callsTheSixthNewestReleaseRotation_evenWithEveryReleaseRecorded() {
        // GIVEN six releases on digests of their own, each released when pushed
        List<ImageRecord> images = new ArrayList<>();
        Map<Tag, Release> recorded = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            images.add(image("r" + i, daysAgo(10 - i), "tag-1-" + i + "-0"));
            recorded.putAll(ledger("tag-1-" + i + "-0", daysAgo(10 - i)));
        }

        List<ReleaseStanding> standings = ReleaseSafety.assess(KEEP_LAST_5, images, PRODUCTION, recorded, NOW,
                Duration.ZERO);

        assertThat(standings).filteredOn(s -> s.verdict() != Verdict.KEPT).singleElement().satisfies(oldest -> {
            assertThat(oldest.image().digest()).isEqualTo(digest("r0"));
            assertThat(oldest.verdict()).isEqualTo(Verdict.ROTATION);
        });
    }

    @Test
    void assess_callsAnAgeRuleExpiryOutOfTurn_forAReleaseOnAnOldDigest_andForecastsTheDay() {
        // GIVEN a release three days ago on a digest first pushed 18 days before that, under "keep 21 days"
        List<ImageRecord> images = List.of(image("old", daysAgo(21).plusSeconds(3600), "git-1", "tag-2-0-0"));
        Map<Tag, Release> recorded = ledger("tag-2-0-0", daysAgo(3));

        // WHEN judged now and with a day's look-ahead
        ReleaseStanding now = ReleaseSafety.assess(KEEP_21_DAYS, images, PRODUCTION, recorded, NOW, Duration.ZERO)
                .get(0);
        ReleaseStanding ahead = ReleaseSafety.assess(KEEP_21_DAYS, images, PRODUCTION, recorded, NOW,
                Duration.ofHours(24)).get(0);

        // THEN not due yet, but due within the day, out of turn, on the day ECR may act
        assertThat(now.verdict()).isEqualTo(Verdict.KEPT);
        assertThat(ahead.verdict()).isEqualTo(Verdict.OUT_OF_TURN);
        assertThat(ahead.dueAt()).contains(daysAgo(21).plusSeconds(3600).plus(Duration.ofDays(21)));
        assertThat(ahead.dueBy(NOW)).isFalse();
    }

    @Test
    void assess_callsAnAgeRuleExpiryRotation_whenTheReleaseItselfIsOld() {
        List<ImageRecord> images = List.of(image("old", daysAgo(30), "tag-1-0-0"));

        ReleaseStanding standing = ReleaseSafety.assess(KEEP_21_DAYS, images, PRODUCTION,
                ledger("tag-1-0-0", daysAgo(30)), NOW, Duration.ofHours(24)).get(0);

        assertThat(standing.verdict()).isEqualTo(Verdict.ROTATION);
        assertThat(standing.dueAt()).contains(daysAgo(9));
    }

    @Test
    void assess_ignoresImagesWithoutProductionTags_andKeepsNonReleasesAsTheyAre() {
        List<ImageRecord> images = List.of(image("build", daysAgo(1), "git-1"), image("release", daysAgo(2),
                "tag-1-0-0"));

        List<ReleaseStanding> standings = ReleaseSafety.assess(KEEP_LAST_5, images, PRODUCTION, Map.of(), NOW,
                Duration.ZERO);

        assertThat(standings).singleElement().satisfies(s -> assertThat(s.verdict()).isEqualTo(Verdict.KEPT));
    }
}
