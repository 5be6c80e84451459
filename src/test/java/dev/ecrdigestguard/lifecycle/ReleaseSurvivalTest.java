package dev.ecrdigestguard.lifecycle;

import static dev.ecrdigestguard.lifecycle.TestImages.NOW;
import static dev.ecrdigestguard.lifecycle.TestImages.daysAgo;
import static dev.ecrdigestguard.lifecycle.TestImages.digest;
import static dev.ecrdigestguard.lifecycle.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.LifecycleOutrankedFinding;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseSurvivalTest {

    private static final LifecyclePolicy STORY = LifecyclePolicyParser.parse(LifecyclePolicyParserTest.STORY_POLICY);
    private static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");
    private static final RepositoryName REPOSITORY = RepositoryName.of("shop/web");

    private static ReleaseSurvival.Push push(ImageRecord image, String tag) {
        return new ReleaseSurvival.Push(REPOSITORY, Tag.of(tag), image, NOW);
    }

    @Test
    void assess_reportsExpiry_whenTheNewReleaseRanksPastTheCount() {
        // GIVEN tag-1-253-0 lands on the digest of tag-1-252-0, first pushed before five later releases
        ImageRecord shared = image("shared", Instant.parse("2022-12-15T09:57:20Z"), "git-325dc21f", "tag-1-252-0");
        List<ImageRecord> images = new ArrayList<>(List.of(shared));
        for (int i = 0; i < 5; i++) {
            images.add(image("hotfix-" + i, Instant.parse("2022-12-16T10:00:00Z").plusSeconds(i * 3600L),
                    "tag-1-252-" + (i + 1)));
        }

        // WHEN
        List<Finding> findings = ReleaseSurvival.assess(STORY, images, push(shared, "tag-1-253-0"), PRODUCTION,
                Instant.parse("2022-12-23T12:00:00Z"));

        // THEN
        assertThat(findings).hasSize(2);
        assertThat(findings.get(0)).isInstanceOfSatisfying(LifecycleExpiryFinding.class, expiry -> {
            assertThat(expiry.kind()).isEqualTo(Finding.Kind.LIFECYCLE_EXPIRY);
            assertThat(expiry.imageDigest()).isEqualTo(digest("shared"));
            assertThat(expiry.rulePriority()).isEqualTo(1);
            assertThat(expiry.rank()).hasValue(6);
            assertThat(expiry.sentence()).isEqualTo("tag-1-253-0 ranks 6th of the images kept by rule 1 'Keep last 5"
                    + " production images' because its digest was first pushed on 2022-12-15 09:57 UTC; it will be"
                    + " deleted within 24 hours");
        });
        assertThat(findings.get(1)).isInstanceOfSatisfying(LifecycleOutrankedFinding.class, outranked -> {
            assertThat(outranked.outrankedBy()).isEqualTo(5);
            assertThat(outranked.headroom()).isEqualTo(-1);
            assertThat(outranked.countToKeepReleases()).isEqualTo(6);
        });
    }

    @Test
    void assess_reportsOutranked_withHeadroomAndTheCountThatKeepsTheLastReleases() {
        // GIVEN two releases pushed after the reused digest, and three older ones
        List<ImageRecord> images = List.of(
                image("shared", daysAgo(20), "tag-1-250-0"),
                image("r251", daysAgo(15), "tag-1-251-0"),
                image("r252", daysAgo(10), "tag-1-252-0"),
                image("r249", daysAgo(30), "tag-1-249-0"),
                image("r248", daysAgo(40), "tag-1-248-0"),
                image("r247", daysAgo(50), "tag-1-247-0"));

        // WHEN
        List<Finding> findings = ReleaseSurvival.assess(STORY, images, push(images.get(0), "tag-1-253-0"), PRODUCTION,
                NOW);

        // THEN ranks: r252, r251, shared, r249, r248 (kept), r247 (expired); the last 5 releases need count 4
        assertThat(findings).singleElement().isInstanceOfSatisfying(LifecycleOutrankedFinding.class, outranked -> {
            assertThat(outranked.rank()).isEqualTo(3);
            assertThat(outranked.outrankedBy()).isEqualTo(2);
            assertThat(outranked.headroom()).isEqualTo(2);
            assertThat(outranked.countToKeepReleases()).isEqualTo(4);
            assertThat(outranked.sentence()).startsWith("tag-1-253-0 ranks 3rd of the images kept by rule 1 'Keep last"
                    + " 5 production images' because its digest was first pushed on ")
                    .endsWith(": 2 production images pushed since outrank the new release; headroom 2: the 3rd newer"
                            + " image from now deletes it; countNumber 4 would keep the last 5 releases");
        });
    }

    @Test
    void assess_findsNothing_whenTheReleaseIsTheNewestImage() {
        List<ImageRecord> images = List.of(image("old", daysAgo(9), "tag-1-0-0"), image("new", daysAgo(1), "git-1"));

        List<Finding> findings = ReleaseSurvival.assess(STORY, images, push(images.get(1), "tag-1-1-0"), PRODUCTION, NOW);

        assertThat(findings).isEmpty();
    }

    @Test
    void assess_ignoresNonProductionImagesPushedSince_whenCountingOutrankers() {
        // GIVEN the rule selects tag* (so "tagged-test" counts in the rule) but only tag-* are releases
        List<ImageRecord> images = List.of(image("shared", daysAgo(9), "tag-1-0-0"),
                image("test", daysAgo(2), "tagged-test"));

        List<Finding> findings = ReleaseSurvival.assess(STORY, images, push(images.get(0), "tag-1-1-0"), PRODUCTION, NOW);

        assertThat(findings).isEmpty();
    }

    @Test
    void assess_reportsExpiry_byAnAgeRule_inWords() {
        // GIVEN
        LifecyclePolicy policy = LifecyclePolicyParser.parse("""
                {"rules":[{"rulePriority":2,"description":"Expire releases after 30 days","selection":{
                  "tagStatus":"tagged","tagPatternList":["tag-*"],"countType":"sinceImagePushed","countUnit":"days",
                  "countNumber":30},"action":{"type":"expire"}}]}""");
        ImageRecord old = image("old", daysAgo(40), "git-1");

        // WHEN
        List<Finding> findings = ReleaseSurvival.assess(policy, List.of(old), push(old, "tag-2-0-0"), PRODUCTION, NOW);

        // THEN
        assertThat(findings).singleElement().isInstanceOfSatisfying(LifecycleExpiryFinding.class, expiry -> {
            assertThat(expiry.rank()).isEmpty();
            assertThat(expiry.sentence()).isEqualTo("tag-2-0-0 is due under rule 2 'Expire releases after 30 days'"
                    + " because its digest was first pushed on 2024-05-21 12:00 UTC, more than 30 days ago; it will be"
                    + " deleted within 24 hours");
        });
    }
}
