package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The one definition of a release taken out of turn, shared by the push path, the scheduled sweep and {@code audit}:
 * a production release is <em>expiring out of turn</em> when the lifecycle policy expires (or archives) its image,
 * but would keep it if each production image's push time were the time its newest production tag was first seen.
 *
 * <p>That one comparison covers both ways a release is lost by surprise: a count rule ranking a shared digest by an
 * old push time ("keep the last 5" deleting the newest release), and an age rule applied to a release on an old digest
 * ("keep 21 days" deleting a release three days after it happened). A release the policy drops in both views is the
 * rotation the rule is there for: it is reported as such, never as a risk.
 *
 * <p>With a horizon, releases that become due within it are judged too (age rules move with time; count rules only
 * with pushes, which can't be foreseen), so a sweep can warn before ECR acts.
 */
public final class ReleaseSafety {

    private ReleaseSafety() {
    }

    /**
     * @param images   every image of the repository
     * @param recorded first-seen times of production tags on the digests they hold now (ledger, push event); a
     *                 production tag without one falls back to its digest's push time
     * @param horizon  also judge what becomes due within this long after {@code now}; {@link Duration#ZERO} for now only
     * @return one standing per production image, newest release first
     */
    public static List<ReleaseStanding> assess(LifecyclePolicy policy, List<ImageRecord> images,
            ProductionTags productionTags, Map<Tag, Release> recorded, Instant now, Duration horizon) {
        int n = images.size();
        List<ImageRecord> intendedImages = new ArrayList<>(n);
        List<Release>[] releases = releasesPerImage(images, productionTags, recorded);
        Instant[] releasedAt = new Instant[n];
        for (int i = 0; i < n; i++) {
            ImageRecord image = images.get(i);
            Instant ranked = LifecycleEngine.rankTime(image);
            releasedAt[i] = releases[i] == null ? ranked : latest(ranked, releases[i].get(0).firstSeen());
            intendedImages.add(releasedAt[i].equals(ranked) ? image : rankedAt(image, releasedAt[i]));
        }
        boolean ageRules = policy.rules().stream().anyMatch(rule -> !rule.isCountRule());
        Instant later = now.plus(horizon);
        boolean lookAhead = ageRules && later.isAfter(now);
        List<ImageDecision> actualNow = LifecycleEngine.evaluate(policy, images, now).decisions();
        List<ImageDecision> intendedNow = LifecycleEngine.evaluate(policy, intendedImages, now).decisions();
        List<ImageDecision> actualLater = lookAhead ? LifecycleEngine.evaluate(policy, images, later).decisions() : null;
        List<ImageDecision> intendedLater = lookAhead
                ? LifecycleEngine.evaluate(policy, intendedImages, later).decisions() : null;
        CountRuleStandings counts = new CountRuleStandings(policy, images, releases, releasedAt);

        List<ReleaseStanding> standings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (releases[i] == null) {
                continue;
            }
            ImageRecord image = images.get(i);
            ImageDecision actual = actualNow.get(i);
            ImageDecision intended = intendedNow.get(i);
            Instant judgedAt = now;
            if (actual.action() == ImageDecision.Action.KEEP && lookAhead
                    && actualLater.get(i).action() != ImageDecision.Action.KEEP) {
                actual = actualLater.get(i);
                intended = intendedLater.get(i);
                judgedAt = later;
            }
            ReleaseStanding.Verdict verdict = actual.action() == ImageDecision.Action.KEEP
                    ? ReleaseStanding.Verdict.KEPT
                    : intended.action() == ImageDecision.Action.KEEP
                            ? ReleaseStanding.Verdict.OUT_OF_TURN : ReleaseStanding.Verdict.ROTATION;
            Optional<Instant> dueAt = verdict == ReleaseStanding.Verdict.KEPT ? Optional.empty()
                    : Optional.of(dueAt(actual, now, judgedAt));
            Optional<LifecycleRule> countRule = actualNow.get(i).decidingRule().filter(LifecycleRule::isCountRule);
            int index = i;
            standings.add(new ReleaseStanding(image, releases[i], LifecycleEngine.rankTime(image), releasedAt[i],
                    actual, intended, verdict, dueAt,
                    countRule.map(rule -> counts.outrankedBy(rule, index)).orElse(0),
                    countRule.map(rule -> OptionalInt.of(counts.countToKeepReleases(rule)))
                            .orElse(OptionalInt.empty())));
        }
        standings.sort(Comparator.comparing(ReleaseStanding::releasedAt).reversed()
                .thenComparing(standing -> standing.image().digest()));
        return standings;
    }

    /**
     * When ECR may act: an age rule names the moment the image passes its age (never before {@code now} when the
     * look-ahead found it, never after the instant judged); a count rule acts on the images past its count now.
     */
    private static Instant dueAt(ImageDecision decision, Instant now, Instant judgedAt) {
        LifecycleRule rule = decision.decidingRule().orElseThrow();
        if (rule.isCountRule()) {
            return now;
        }
        Instant due = rule.dueAt(decision.image()).orElse(now);
        if (judgedAt.isAfter(now) && due.isBefore(now)) {
            return now;
        }
        return due.isAfter(judgedAt) ? judgedAt : due;
    }

    /** Per image, its production tags as releases, newest first; null for an image with none. */
    @SuppressWarnings("unchecked")
    private static List<Release>[] releasesPerImage(List<ImageRecord> images, ProductionTags productionTags,
            Map<Tag, Release> recorded) {
        List<Release>[] releases = new List[images.size()];
        for (int i = 0; i < images.size(); i++) {
            ImageRecord image = images.get(i);
            List<Tag> production = productionTags.select(image.tags());
            if (production.isEmpty()) {
                continue;
            }
            Instant ranked = LifecycleEngine.rankTime(image);
            List<Release> onImage = new ArrayList<>(production.size());
            for (Tag tag : production) {
                Release known = recorded.get(tag);
                onImage.add(known != null ? known : new Release(tag, ranked, Release.Source.IMAGE_PUSHED_AT));
            }
            onImage.sort(Comparator.comparing(Release::firstSeen).reversed()
                    .thenComparing(Release::tag, Comparator.reverseOrder()));
            releases[i] = onImage;
        }
        return releases;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The same image, ranked from {@code instant}: as a push at that time (no restore after it). */
    private static ImageRecord rankedAt(ImageRecord image, Instant instant) {
        return new ImageRecord(image.digest(), image.tags(), instant, image.lastPulledAt(), image.storageClass(),
                image.lastArchivedAt(), Optional.empty(), image.manifestMediaType(), image.artifactMediaType(),
                image.indexChildren());
    }

    /**
     * What each count rule's ranking means for releases: per image, how many production images the rule ranks above
     * it although they were released no later than it (a Fenwick tree over release times keeps this n log n for a
     * million images), and the count that would keep the last {@code countNumber} releases.
     */
    private static final class CountRuleStandings {

        private final LifecyclePolicy policy;
        private final List<ImageRecord> images;
        private final List<Release>[] releases;
        private final Instant[] releasedAt;
        private final Map<LifecycleRule, int[]> outranked = new HashMap<>();
        private final Map<LifecycleRule, Integer> countToKeep = new HashMap<>();

        CountRuleStandings(LifecyclePolicy policy, List<ImageRecord> images, List<Release>[] releases,
                Instant[] releasedAt) {
            this.policy = policy;
            this.images = images;
            this.releases = releases;
            this.releasedAt = releasedAt;
        }

        int outrankedBy(LifecycleRule rule, int image) {
            return outranked.computeIfAbsent(rule, this::outrankedCounts)[image];
        }

        int countToKeepReleases(LifecycleRule rule) {
            return countToKeep.computeIfAbsent(rule, this::countToKeep);
        }

        /** The images the rule selects, youngest first by the time ECR ranks them, ties by digest. */
        private int[] selectedYoungestFirst(LifecycleRule rule) {
            return IntStream.range(0, images.size())
                    .filter(i -> rule.selects(images.get(i)))
                    .boxed()
                    .sorted(Comparator.<Integer, Instant>comparing(i -> LifecycleEngine.rankTime(images.get(i)))
                            .reversed().thenComparing(i -> images.get(i).digest()))
                    .mapToInt(Integer::intValue)
                    .toArray();
        }

        private int[] outrankedCounts(LifecycleRule rule) {
            int[] counts = new int[images.size()];
            int[] production = Arrays.stream(selectedYoungestFirst(rule)).filter(i -> releases[i] != null).toArray();
            // Release times as ranks 1..m, so the tree counts "released no later than" in log time.
            Instant[] sorted = Arrays.stream(production).mapToObj(i -> releasedAt[i]).sorted().distinct()
                    .toArray(Instant[]::new);
            int[] tree = new int[sorted.length + 1];
            for (int i : production) {
                int position = Arrays.binarySearch(sorted, releasedAt[i]) + 1;
                int above = 0;
                for (int p = position; p > 0; p -= p & -p) {
                    above += tree[p];
                }
                counts[i] = above;
                for (int p = position; p < tree.length; p += p & -p) {
                    tree[p]++;
                }
            }
            return counts;
        }

        /** The deepest rank, in the rule, among the digests holding the last {@code countNumber} releases. */
        private int countToKeep(LifecycleRule rule) {
            int[] selected = selectedYoungestFirst(rule);
            record Ranked(Release release, int rank) {
            }
            List<Ranked> all = new ArrayList<>();
            for (int position = 0; position < selected.length; position++) {
                int i = selected[position];
                if (releases[i] != null) {
                    for (Release release : releases[i]) {
                        all.add(new Ranked(release, position + 1));
                    }
                }
            }
            all.sort(Comparator.comparing((Ranked r) -> r.release().firstSeen()).reversed()
                    .thenComparing(r -> r.release().tag(), Comparator.reverseOrder()));
            int needed = 1;
            for (int k = 0; k < Math.min(rule.countNumber(), all.size()); k++) {
                needed = Math.max(needed, all.get(k).rank());
            }
            return needed;
        }
    }
}
