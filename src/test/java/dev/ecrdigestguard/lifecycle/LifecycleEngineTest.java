package dev.ecrdigestguard.lifecycle;

import static dev.ecrdigestguard.lifecycle.ImageDecision.Action.EXPIRE;
import static dev.ecrdigestguard.lifecycle.ImageDecision.Action.KEEP;
import static dev.ecrdigestguard.lifecycle.ImageDecision.Action.TRANSITION;
import static dev.ecrdigestguard.lifecycle.TestImages.NOW;
import static dev.ecrdigestguard.lifecycle.TestImages.archived;
import static dev.ecrdigestguard.lifecycle.TestImages.daysAgo;
import static dev.ecrdigestguard.lifecycle.TestImages.digest;
import static dev.ecrdigestguard.lifecycle.TestImages.digests;
import static dev.ecrdigestguard.lifecycle.TestImages.image;
import static dev.ecrdigestguard.lifecycle.TestImages.index;
import static dev.ecrdigestguard.lifecycle.TestImages.pulled;
import static dev.ecrdigestguard.lifecycle.TestImages.restored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.ImageRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleEngineTest {

    private static LifecyclePolicy policy(String rulesJson) {
        return LifecyclePolicyParser.parse("{\"rules\":[" + rulesJson + "]}");
    }

    private static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"description\":\"r" + priority + "\",\"selection\":{" + selection
                + "},\"action\":{" + action + "}}";
    }

    private static final String EXPIRE_ACTION = "\"type\":\"expire\"";
    private static final String ARCHIVE_ACTION = "\"type\":\"transition\",\"targetStorageClass\":\"archive\"";

    private static String count(int n) {
        return "\"countType\":\"imageCountMoreThan\",\"countNumber\":" + n;
    }

    private static String days(String countType, int n) {
        return "\"countType\":\"" + countType + "\",\"countUnit\":\"days\",\"countNumber\":" + n;
    }

    private static LifecycleEvaluation evaluate(LifecyclePolicy policy, ImageRecord... images) {
        return LifecycleEngine.evaluate(policy, List.of(images), NOW);
    }

    @Test
    void evaluate_expiresOldestImages_whenCountExceeded() {
        // GIVEN keep the 2 newest v* images
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(2),
                EXPIRE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy,
                image("v1", daysAgo(40), "v1"), image("v2", daysAgo(30), "v2"),
                image("v3", daysAgo(20), "v3"), image("v4", daysAgo(10), "v4"));

        // THEN
        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyInAnyOrderElementsOf(digests("v1", "v2"));
        assertThat(result.digestsWithAction(KEEP)).containsExactlyInAnyOrderElementsOf(digests("v3", "v4"));
    }

    @Test
    void evaluate_keepsEveryImage_whenCountNotExceeded() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(5),
                EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy, image("v1", daysAgo(400), "v1"), image("v2", daysAgo(300), "v2"));

        assertThat(result.digestsWithAction(KEEP)).containsExactlyInAnyOrderElementsOf(digests("v1", "v2"));
    }

    @Test
    void evaluate_reportsRankAndHeadroom_forImagesOfACountRule() {
        // GIVEN
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(3),
                EXPIRE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy, image("old", daysAgo(9), "v1"), image("mid", daysAgo(5), "v2"),
                image("new", daysAgo(1), "v3"), image("oldest", daysAgo(20), "v0"));

        // THEN rank 1 is the newest; headroom counts the pushes left before the image goes
        assertThat(result.decisionFor(digest("new")).orElseThrow().standing()).contains(new CountStanding(1, 3));
        assertThat(result.decisionFor(digest("old")).orElseThrow().standing()).hasValueSatisfying(standing -> {
            assertThat(standing.rank()).isEqualTo(3);
            assertThat(standing.headroom()).isZero();
        });
        ImageDecision oldest = result.decisionFor(digest("oldest")).orElseThrow();
        assertThat(oldest.action()).isEqualTo(EXPIRE);
        assertThat(oldest.standing()).contains(new CountStanding(4, 3));
        assertThat(oldest.rulePriority()).hasValue(1);
    }

    @Test
    void evaluate_ranksRestoredImage_byItsActivationTime() {
        // GIVEN an old image restored from archive yesterday counts as newly pushed
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(1),
                EXPIRE_ACTION));
        ImageRecord restored = restored(image("restored", daysAgo(300), "v1"), daysAgo(200), daysAgo(1));

        // WHEN
        LifecycleEvaluation result = evaluate(policy, restored, image("recent", daysAgo(5), "v2"));

        // THEN
        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("recent"));
        assertThat(result.digestsWithAction(KEEP)).containsExactlyElementsOf(digests("restored"));
    }

    @Test
    void evaluate_expiresOnlyImagesStrictlyOlderThanTheDays_sinceImagePushed() {
        // GIVEN
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 14), EXPIRE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy,
                image("exactly14", daysAgo(14)), image("just-over", daysAgo(14).minusMillis(1)),
                image("young", daysAgo(3), "latest"));

        // THEN
        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("just-over"));
        assertThat(result.digestsWithAction(KEEP)).containsExactlyInAnyOrderElementsOf(digests("exactly14", "young"));
    }

    @Test
    void evaluate_archivesByLastPull_andByPushWhenNeverPulled_sinceImagePulled() {
        // GIVEN
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePulled", 30),
                ARCHIVE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy,
                pulled(image("pulled-recently", daysAgo(100), "a"), daysAgo(2)),
                pulled(image("pulled-long-ago", daysAgo(100), "b"), daysAgo(31)),
                image("never-pulled-old", daysAgo(31), "c"),
                image("never-pulled-new", daysAgo(29), "d"));

        // THEN
        assertThat(result.digestsWithAction(TRANSITION))
                .containsExactlyInAnyOrderElementsOf(digests("pulled-long-ago", "never-pulled-old"));
        assertThat(result.digestsWithAction(KEEP))
                .containsExactlyInAnyOrderElementsOf(digests("pulled-recently", "never-pulled-new"));
    }

    @Test
    void evaluate_expiresArchivedImages_byTimeInArchive_sinceImageTransitioned() {
        // GIVEN
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\",\"storageClass\":\"archive\","
                + days("sinceImageTransitioned", 90), EXPIRE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy,
                archived(image("archived-long", daysAgo(400), "a"), daysAgo(91)),
                archived(image("archived-recently", daysAgo(400), "b"), daysAgo(10)),
                image("standard-old", daysAgo(400), "c"));

        // THEN the rule sees archived images only
        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("archived-long"));
        assertThat(result.digestsWithAction(KEEP))
                .containsExactlyInAnyOrderElementsOf(digests("archived-recently", "standard-old"));
    }

    @Test
    void evaluate_ignoresArchivedImages_inStandardRules() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 1), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy, archived(image("archived", daysAgo(50), "a"), daysAgo(20)),
                image("standard", daysAgo(50), "b"));

        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("standard"));
        assertThat(result.digestsWithAction(KEEP)).containsExactlyElementsOf(digests("archived"));
    }

    @Test
    void evaluate_transitionsImages_toArchive_withTheRulePriority() {
        LifecyclePolicy policy = policy(rule(4, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"build-*\"],"
                + count(1), ARCHIVE_ACTION));

        LifecycleEvaluation result = evaluate(policy, image("b1", daysAgo(2), "build-1"), image("b2", daysAgo(1), "build-2"));

        assertThat(result.withAction(TRANSITION)).singleElement().satisfies(decision -> {
            assertThat(decision.digest()).isEqualTo(digest("b1"));
            assertThat(decision.rulePriority()).hasValue(4);
        });
    }

    @Test
    void evaluate_actsOnAnImageWithTheFirstMatchingRuleOnly() {
        // GIVEN two rules that would both expire the image
        LifecyclePolicy policy = policy(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + days("sinceImagePushed", 10),
                        EXPIRE_ACTION) + ","
                + rule(2, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 5), EXPIRE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy, image("old", daysAgo(20), "v1"));

        // THEN
        assertThat(result.decisions()).singleElement().satisfies(decision -> {
            assertThat(decision.action()).isEqualTo(EXPIRE);
            assertThat(decision.rulePriority()).hasValue(1);
        });
    }

    @Test
    void evaluate_protectsImagesMatchingAHigherRule_fromLowerRules() {
        // GIVEN the story's policy: keep the last 5 tag* images, expire everything older than 14 days
        LifecyclePolicy policy = LifecyclePolicyParser.parse(LifecyclePolicyParserTest.STORY_POLICY);

        // WHEN
        LifecycleEvaluation result = evaluate(policy,
                image("release-old", daysAgo(100), "tag-1-0-0", "git-1"),
                image("feature-old", daysAgo(100), "git-2"),
                image("feature-new", daysAgo(1), "git-3"),
                image("untagged-old", daysAgo(20)));

        // THEN the old release is within rule 1's count, so rule 5 can't expire it
        assertThat(result.digestsWithAction(KEEP))
                .containsExactlyInAnyOrderElementsOf(digests("release-old", "feature-new"));
        assertThat(result.digestsWithAction(EXPIRE))
                .containsExactlyInAnyOrderElementsOf(digests("feature-old", "untagged-old"));
        assertThat(result.decisionFor(digest("release-old")).orElseThrow().rulePriority()).hasValue(1);
        assertThat(result.decisionFor(digest("feature-old")).orElseThrow().rulePriority()).hasValue(5);
    }

    @Test
    void evaluate_expiresTheNewestRelease_whenItsDigestWasFirstPushedBeforeFiveOthers() {
        // GIVEN the story: tag-1-253-0 landed on the digest of tag-1-252-0, pushed before five later releases
        LifecyclePolicy policy = LifecyclePolicyParser.parse(LifecyclePolicyParserTest.STORY_POLICY);
        List<ImageRecord> images = new ArrayList<>();
        images.add(image("shared", daysAgo(12), "git-325dc21f", "tag-1-252-0", "tag-1-253-0"));
        for (int i = 0; i < 5; i++) {
            images.add(image("later-" + i, daysAgo(10 - i), "tag-1-24" + i + "-0"));
        }

        // WHEN
        LifecycleEvaluation result = LifecycleEngine.evaluate(policy, images, NOW);

        // THEN
        ImageDecision shared = result.decisionFor(digest("shared")).orElseThrow();
        assertThat(shared.action()).isEqualTo(EXPIRE);
        assertThat(shared.rulePriority()).hasValue(1);
        assertThat(shared.standing()).contains(new CountStanding(6, 5));
    }

    @Test
    void evaluate_countsImagesProtectedByAHigherRule_inLowerCountRules() {
        // GIVEN rule 1 protects prod* images; rule 2 keeps 2 v* images and still counts the protected one
        LifecyclePolicy policy = policy(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"]," + count(10), EXPIRE_ACTION) + ","
                + rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(2), EXPIRE_ACTION));

        // WHEN
        LifecycleEvaluation result = evaluate(policy,
                image("a", daysAgo(1), "prod-1", "v3"), image("b", daysAgo(2), "v2"), image("c", daysAgo(3), "v1"));

        // THEN
        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("c"));
        assertThat(result.decisionFor(digest("b")).orElseThrow().standing()).contains(new CountStanding(2, 2));
        assertThat(result.decisionFor(digest("a")).orElseThrow().rulePriority()).hasValue(1);
    }

    @Test
    void evaluate_selectsAnImage_onlyWhenEveryPrefixMatchesSomeTag() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\",\"v\"],"
                + days("sinceImagePushed", 1), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy,
                image("both", daysAgo(5), "prod-a", "v1"), image("prod-only", daysAgo(5), "prod-b"),
                image("v-only", daysAgo(5), "v2"), image("one-tag-both", daysAgo(5), "prodv"));

        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("both"));
    }

    @Test
    void evaluate_matchesTagPatternsWithWildcards_wholeTagAndCaseSensitive() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"v*.*.*-rc*\"],"
                + days("sinceImagePushed", 1), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy,
                image("rc", daysAgo(5), "v1.2.3-rc1"), image("release", daysAgo(5), "v1.2.3"),
                image("upper", daysAgo(5), "V1.2.3-rc1"), image("suffix", daysAgo(5), "xv1.2.3-rc1"));

        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("rc"));
    }

    @Test
    void evaluate_untaggedRule_selectsOnlyUntaggedImages() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"untagged\"," + count(1), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy, image("u1", daysAgo(3)), image("u2", daysAgo(2)),
                image("t", daysAgo(9), "latest"));

        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("u1"));
        assertThat(result.digestsWithAction(KEEP)).containsExactlyInAnyOrderElementsOf(digests("u2", "t"));
    }

    @Test
    void evaluate_anyRule_countsTaggedAndUntaggedImages() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + count(2), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy, image("u", daysAgo(1)), image("t", daysAgo(2), "x"),
                image("old", daysAgo(3), "y"));

        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("old"));
    }

    @Test
    void evaluate_keepsImagesReferencedByAKeptIndex() {
        // GIVEN a multi-arch index tagged v1 whose untagged children an untagged rule would expire
        LifecyclePolicy policy = policy(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"]," + count(5), EXPIRE_ACTION) + ","
                + rule(2, "\"tagStatus\":\"untagged\"," + days("sinceImagePushed", 1), EXPIRE_ACTION));
        ImageRecord amd64 = image("amd64", daysAgo(10));
        ImageRecord arm64 = image("arm64", daysAgo(10));
        ImageRecord stray = image("stray", daysAgo(10));

        // WHEN
        LifecycleEvaluation result = evaluate(policy, index(image("index", daysAgo(10), "v1"), amd64, arm64),
                amd64, arm64, stray);

        // THEN
        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyElementsOf(digests("stray"));
        assertThat(result.decisionFor(digest("amd64")).orElseThrow()).isInstanceOfSatisfying(ImageDecision.Keep.class,
                keep -> assertThat(keep.heldByIndex()).contains(digest("index")));
    }

    @Test
    void evaluate_expiresChildrenWithTheirIndex_whenTheIndexExpires() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + days("sinceImagePushed", 1), EXPIRE_ACTION));
        ImageRecord child = image("child", daysAgo(10));

        LifecycleEvaluation result = evaluate(policy, index(image("index", daysAgo(10), "v1"), child), child);

        assertThat(result.digestsWithAction(EXPIRE)).containsExactlyInAnyOrderElementsOf(digests("index", "child"));
    }

    @Test
    void evaluate_keepsImagesNoRuleSelects_withoutARule() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"untagged\"," + count(1), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy, image("t", daysAgo(500), "v1"));

        assertThat(result.decisions()).singleElement().satisfies(decision -> {
            assertThat(decision.action()).isEqualTo(KEEP);
            assertThat(decision.decidingRule()).isEmpty();
        });
    }

    @Test
    void evaluate_ranksEqualPushTimesByDigest_whateverTheInputOrder() {
        // GIVEN three images pushed in the same millisecond
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + count(1), EXPIRE_ACTION));
        List<ImageRecord> images = new ArrayList<>(List.of(image("a", daysAgo(1), "a"), image("b", daysAgo(1), "b"),
                image("c", daysAgo(1), "c")));
        LifecycleEvaluation first = LifecycleEngine.evaluate(policy, images, NOW);

        // WHEN
        Collections.reverse(images);
        LifecycleEvaluation reversed = LifecycleEngine.evaluate(policy, images, NOW);

        // THEN
        assertThat(reversed.digestsWithAction(KEEP)).isEqualTo(first.digestsWithAction(KEEP)).hasSize(1);
    }

    @Test
    void evaluate_returnsDecisionsInInputOrder() {
        LifecyclePolicy policy = policy(rule(1, "\"tagStatus\":\"any\"," + count(1), EXPIRE_ACTION));

        LifecycleEvaluation result = evaluate(policy, image("old", daysAgo(9), "x"), image("new", daysAgo(1), "y"));

        assertThat(result.decisions()).extracting(ImageDecision::digest).containsExactlyElementsOf(digests("old", "new"));
    }
}
