package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulates what ECR does with a repository's images under a lifecycle policy, following ECR's documented rules:
 * <ul>
 *   <li>every rule looks at every image at the same time, then the rules are applied by priority: an image is acted on
 *       by at most one rule;</li>
 *   <li>an image that meets a rule's tagging requirements (and storage class) cannot be expired by any rule of lower
 *       priority, whether or not that rule acts on it; lower rules still see it and count it;</li>
 *   <li>{@code imageCountMoreThan} ranks the selected images youngest first by push time (the last activation for an
 *       image restored from archive, since ECR treats a restored image as newly pushed) and takes every image past
 *       the count; equal times are ranked by digest so the result doesn't depend on input order;</li>
 *   <li>{@code sinceImagePushed}, {@code sinceImagePulled} (push time when never pulled) and
 *       {@code sinceImageTransitioned} take images strictly older than the count of days;</li>
 *   <li>an image referenced by a manifest list or index that is not expired is not expired either.</li>
 * </ul>
 *
 * <p>Cost: one sort of the images by rank time, then one pass that tests each image against the rules, so
 * O(n log n + n · rules · tags).
 */
public final class LifecycleEngine {

    private static final long DAY_MILLIS = 86_400_000L;
    private static final int INDEX_BITS = 22;

    private LifecycleEngine() {
    }

    public static LifecycleEvaluation evaluate(LifecyclePolicy policy, List<ImageRecord> images, Instant now) {
        ImageRecord[] all = images.toArray(new ImageRecord[0]);
        long[] rankTimes = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            rankTimes[i] = rankTime(all[i]).toEpochMilli();
        }
        int[] order = youngestFirst(all, rankTimes);

        LifecycleRule[] rules = policy.rules().toArray(new LifecycleRule[0]);
        boolean[] countRule = new boolean[rules.length];
        @SuppressWarnings("unchecked")
        Optional<LifecycleRule>[] ruleRefs = new Optional[rules.length];
        for (int k = 0; k < rules.length; k++) {
            countRule[k] = rules[k].isCountRule();
            ruleRefs[k] = Optional.of(rules[k]);
        }
        int[] selectedSoFar = new int[rules.length];
        long nowMillis = now.toEpochMilli();

        ImageDecision[] decisions = new ImageDecision[all.length];
        for (int position = 0; position < order.length; position++) {
            int i = order[position];
            ImageRecord image = all[i];
            int decider = -1;
            int rank = 0;
            for (int k = 0; k < rules.length; k++) {
                // Once a rule has decided, only count rules still need to see the image: they count it.
                if ((decider < 0 || countRule[k]) && rules[k].selects(image)) {
                    if (countRule[k]) {
                        selectedSoFar[k]++;
                    }
                    if (decider < 0) {
                        decider = k;
                        rank = selectedSoFar[k];
                    }
                }
            }
            decisions[i] = decide(image, rankTimes[i], decider < 0 ? null : rules[decider],
                    decider < 0 ? Optional.empty() : ruleRefs[decider], rank, nowMillis);
        }
        keepImagesReferencedByKeptIndexes(all, decisions);
        return new LifecycleEvaluation(Arrays.asList(decisions));
    }

    /** The instant ECR ranks an image by: its push, or its last restore from archive when that came later. */
    public static Instant rankTime(ImageRecord image) {
        Instant pushed = image.pushedAt();
        if (image.storageClass() == StorageClass.STANDARD && image.lastActivatedAt().isPresent()
                && image.lastActivatedAt().get().isAfter(pushed)) {
            return image.lastActivatedAt().get();
        }
        return pushed;
    }

    private static ImageDecision decide(ImageRecord image, long rankTime, LifecycleRule rule,
            Optional<LifecycleRule> ruleRef, int rank, long nowMillis) {
        if (rule == null) {
            return new ImageDecision.Keep(image, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<CountStanding> standing = rule.isCountRule()
                ? Optional.of(new CountStanding(rank, rule.countNumber()))
                : Optional.empty();
        boolean due = rule.isCountRule() ? rank > rule.countNumber() : olderThan(image, rankTime, rule, nowMillis);
        if (!due) {
            return new ImageDecision.Keep(image, ruleRef, standing, Optional.empty());
        }
        return rule.action() == RuleAction.EXPIRE
                ? new ImageDecision.Expire(image, rule, standing)
                : new ImageDecision.Transition(image, rule, standing);
    }

    private static boolean olderThan(ImageRecord image, long rankTime, LifecycleRule rule, long nowMillis) {
        long since;
        switch (rule.countType()) {
            case SINCE_IMAGE_PUSHED -> since = rankTime;
            case SINCE_IMAGE_PULLED -> since = Math.max(rankTime,
                    image.lastPulledAt().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE));
            case SINCE_IMAGE_TRANSITIONED -> {
                if (image.lastArchivedAt().isEmpty()) {
                    return false; // archived at an unknown time: ECR can't have counted days either
                }
                since = image.lastArchivedAt().get().toEpochMilli();
            }
            default -> throw new IllegalStateException("not an age rule: " + rule.countType());
        }
        return nowMillis - since > rule.countNumber() * DAY_MILLIS;
    }

    /**
     * Indices of {@code images}, youngest rank time first, equal times by digest. Packs time and index into one long
     * and sorts primitives (about ten times faster than sorting boxed indices), falling back to a comparator when the
     * numbers don't fit.
     */
    static int[] youngestFirst(ImageRecord[] images, long[] rankTimes) {
        int n = images.length;
        int[] order = new int[n];
        if (n == 0) {
            return order;
        }
        long newest = Long.MIN_VALUE;
        long oldest = Long.MAX_VALUE;
        for (long time : rankTimes) {
            newest = Math.max(newest, time);
            oldest = Math.min(oldest, time);
        }
        long span = newest - oldest;
        if (n >= (1 << INDEX_BITS) || span < 0 || span >= (1L << (63 - INDEX_BITS))) {
            Integer[] boxed = new Integer[n];
            Arrays.setAll(boxed, i -> i);
            Arrays.sort(boxed, Comparator.<Integer>comparingLong(i -> -rankTimes[i])
                    .thenComparing(i -> images[i].digest()));
            Arrays.setAll(order, i -> boxed[i]);
            return order;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((newest - rankTimes[i]) << INDEX_BITS) | i;
        }
        Arrays.parallelSort(keys);
        long mask = (1L << INDEX_BITS) - 1;
        for (int p = 0; p < n; p++) {
            order[p] = (int) (keys[p] & mask);
        }
        breakTiesByDigest(images, keys, order);
        return order;
    }

    private static void breakTiesByDigest(ImageRecord[] images, long[] keys, int[] order) {
        int start = 0;
        while (start < keys.length) {
            int end = start + 1;
            while (end < keys.length && (keys[end] >>> INDEX_BITS) == (keys[start] >>> INDEX_BITS)) {
                end++;
            }
            if (end - start > 1) {
                Integer[] run = new Integer[end - start];
                for (int p = start; p < end; p++) {
                    run[p - start] = order[p];
                }
                Arrays.sort(run, Comparator.comparing(i -> images[i].digest()));
                for (int p = start; p < end; p++) {
                    order[p] = run[p - start];
                }
            }
            start = end;
        }
    }

    private static void keepImagesReferencedByKeptIndexes(ImageRecord[] images, ImageDecision[] decisions) {
        Map<Digest, Integer> positions = null;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < images.length; i++) {
                if (images[i].indexChildren().isEmpty() || decisions[i] instanceof ImageDecision.Expire) {
                    continue;
                }
                if (positions == null) {
                    positions = new HashMap<>();
                    for (int j = 0; j < images.length; j++) {
                        positions.put(images[j].digest(), j);
                    }
                }
                for (Digest child : images[i].indexChildren()) {
                    Integer j = positions.get(child);
                    if (j != null && decisions[j] instanceof ImageDecision.Expire expire) {
                        decisions[j] = new ImageDecision.Keep(images[j], Optional.of(expire.rule()),
                                expire.standing(), Optional.of(images[i].digest()));
                        changed = true;
                    }
                }
            }
        }
    }
}
