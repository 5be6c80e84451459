package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import java.time.Instant;
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
 * <p>Cost: one pass that tests each image against the rules, one sort of the images by rank time, and a pass over
 * primitive arrays in rank order: O(n log n + n · rules · tags). The record-touching passes run in input order,
 * because walking a million records in rank order is a cache miss per field and costs more than all the rest.
 *
 * <p>The rules themselves (selection, age tests, decisions) are applied by {@link RuleSelection} and counted by
 * {@link CountRanking}, which {@link StreamingEvaluation} shares: it gives the same decisions for images that arrive one
 * at a time, holding only those a count rule decides.
 */
public final class LifecycleEngine {

    private LifecycleEngine() {
    }

    public static LifecycleEvaluation evaluate(LifecyclePolicy policy, List<ImageRecord> images, Instant now) {
        ImageRecord[] all = images.toArray(new ImageRecord[0]);
        int n = all.length;
        RuleSelection rules = new RuleSelection(policy, now);
        int words = rules.words();

        // Pass 1, in input order (the order the records sit in memory): everything that needs the records themselves.
        // Which rules select each image, the deciding rule, the rank time, and whether a deciding age rule is due.
        long[] rankMillis = new long[n];
        long[] selectedBy = new long[n * words];
        int[] decider = new int[n];
        boolean[] dueByAge = new boolean[n];
        boolean anyIndex = false;
        for (int i = 0; i < n; i++) {
            ImageRecord image = all[i];
            rankMillis[i] = rankTime(image).toEpochMilli();
            anyIndex |= !image.indexChildren().isEmpty();
            int k = rules.select(image, selectedBy, i * words);
            decider[i] = k;
            dueByAge[i] = k >= 0 && !rules.isCountRule(k) && rules.dueByAge(image, rankMillis[i], k);
        }

        // Pass 2, youngest first, over primitives only: each count rule numbers the images it selects.
        int[] rank = rules.countRules().length == 0 ? new int[n]
                : CountRanking.ranks(
                        CountRanking.youngestFirst(rankMillis, n, (a, b) -> all[a].digest().compareTo(all[b].digest())),
                        selectedBy, words, decider, rules.countRules(), rules.ruleCount());

        // Pass 3: the decisions, without reading the records again.
        ImageDecision[] decisions = new ImageDecision[n];
        for (int i = 0; i < n; i++) {
            decisions[i] = rules.decide(all[i], decider[i], rank[i], dueByAge[i]);
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
