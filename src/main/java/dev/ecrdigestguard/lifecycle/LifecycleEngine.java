package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

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
 * <p>Cost: one pass that tests each image against the rules, one sort of the images by rank time, and a pass over
 * primitive arrays in rank order: O(n log n + n · rules · tags). The record-touching passes run in input order,
 * because walking a million records in rank order is a cache miss per field and costs more than all the rest.
 */
public final class LifecycleEngine {

    private static final long DAY_MILLIS = 86_400_000L;
    private static final int INDEX_BITS = 22;

    private LifecycleEngine() {
    }

    public static LifecycleEvaluation evaluate(LifecyclePolicy policy, List<ImageRecord> images, Instant now) {
        ImageRecord[] all = images.toArray(new ImageRecord[0]);
        int n = all.length;
        LifecycleRule[] rules = policy.rules().toArray(new LifecycleRule[0]);
        int words = (rules.length + 63) / 64;

        // Pass 1, in input order (the order the records sit in memory): everything that needs the records themselves.
        // Which rules select each image, the deciding rule (the first that selects it), the rank time, and whether
        // a deciding age rule is due.
        long nowMillis = now.toEpochMilli();
        long[] rankTimes = new long[n];
        long[] selectedBy = new long[n * words];
        int[] decider = new int[n];
        boolean[] dueByAge = new boolean[n];
        boolean anyIndex = false;
        for (int i = 0; i < n; i++) {
            ImageRecord image = all[i];
            long rankTime = rankTime(image).toEpochMilli();
            rankTimes[i] = rankTime;
            anyIndex |= !image.indexChildren().isEmpty();
            int decidedBy = -1;
            for (int k = 0; k < rules.length; k++) {
                // Once a rule has decided, only count rules still need to know: they count the image.
                if ((decidedBy < 0 || rules[k].isCountRule()) && rules[k].selects(image)) {
                    selectedBy[i * words + (k >>> 6)] |= 1L << (k & 63);
                    if (decidedBy < 0) {
                        decidedBy = k;
                        dueByAge[i] = !rules[k].isCountRule() && olderThan(image, rankTime, rules[k], nowMillis);
                    }
                }
            }
            decider[i] = decidedBy;
        }

        // Pass 2, youngest first, over primitives only: each count rule numbers the images it selects.
        int[] order = youngestFirst(all, rankTimes);
        int[] countRules = IntStream.range(0, rules.length).filter(k -> rules[k].isCountRule()).toArray();
        int[] selectedSoFar = new int[rules.length];
        int[] rank = new int[n];
        for (int i : order) {
            for (int k : countRules) {
                if ((selectedBy[i * words + (k >>> 6)] & (1L << (k & 63))) != 0) {
                    int position = ++selectedSoFar[k];
                    if (k == decider[i]) {
                        rank[i] = position;
                    }
                }
            }
        }

        // Pass 3: the decisions, without reading the records again.
        @SuppressWarnings("unchecked")
        Optional<LifecycleRule>[] ruleRefs = new Optional[rules.length];
        for (int k = 0; k < rules.length; k++) {
            ruleRefs[k] = Optional.of(rules[k]);
        }
        ImageDecision[] decisions = new ImageDecision[n];
        for (int i = 0; i < n; i++) {
            int k = decider[i];
            decisions[i] = k < 0
                    ? ImageDecision.Keep.unselected(all[i])
                    : decide(all[i], rules[k], ruleRefs[k], rank[i], dueByAge[i]);
        }
        if (anyIndex) {
            keepImagesReferencedByKeptIndexes(all, decisions);
        }
        return new LifecycleEvaluation(decisions);
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

    private static ImageDecision decide(ImageRecord image, LifecycleRule rule, Optional<LifecycleRule> ruleRef,
            int rank, boolean dueByAge) {
        boolean due = rule.isCountRule() ? rank > rule.countNumber() : dueByAge;
        if (!due) {
            return new ImageDecision.Keep(image, ruleRef, rank, Optional.empty());
        }
        return rule.action() == RuleAction.EXPIRE
                ? new ImageDecision.Expire(image, rule, rank)
                : new ImageDecision.Transition(image, rule, rank);
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
                                expire.rank(), Optional.of(images[i].digest()));
                        changed = true;
                    }
                }
            }
        }
    }
}
