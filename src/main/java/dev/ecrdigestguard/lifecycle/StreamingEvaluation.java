package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link LifecycleEngine#evaluate}'s decisions for images that arrive one at a time, such as a {@code describe-images}
 * file being read, holding only what the rules need: an image no rule selects, or that an age rule decides, is decided
 * as it arrives and handed on at once; an image an {@code imageCountMoreThan} rule decides waits, packed into about
 * 120 bytes ({@link PendingImages}), until every image has been seen and ranks are known; an image that a count rule
 * only counts leaves its rank time and digest behind (60 bytes). The rules are applied by the same code as {@code evaluate} ({@link RuleSelection}, {@link CountRanking}), and
 * a property test holds the two to the same decisions.
 *
 * <p>Order of the decisions: first the images decided as they arrive, in arrival order; then, at {@link #finish()},
 * the images of each count rule, rule by rule in priority order, youngest first (rank 1, 2, …).
 *
 * <p>Images with manifest-list or index children are refused: keeping the children of a kept index needs every
 * decision at hand, which {@code evaluate} has. {@code describe-images} doesn't list children, so no image read from
 * it has any.
 */
public final class StreamingEvaluation implements Consumer<ImageRecord> {

    private final RuleSelection rules;
    private final int words;
    private final Consumer<ImageDecision> decisions;
    private final long[] selected;
    private final PendingImages pending = new PendingImages();
    /** Digests of the images count rules only count, for ranking equal times. */
    private final LongRows countedDigests = new LongRows(4);
    private boolean finished;
    private static final int AHEAD = 8;
    /** Kept so the compiler can't drop the reads that fetch rows ahead. */
    private long touched;

    // The ranked images (every image a count rule selects), by arrival among them: flat arrays, as the ranking takes
    // them (they grow by copying, 20 bytes an image), and where the image is: its slot among the waiting images, or
    // -1 - its row among the counted digests.
    private int ranked;
    private long[] rankMillis = new long[64];
    private long[] selectedBy;
    private int[] decider = new int[64];
    private int[] where = new int[64];

    private StreamingEvaluation(LifecyclePolicy policy, Instant now, Consumer<ImageDecision> decisions) {
        this.rules = new RuleSelection(policy, now);
        this.words = rules.words();
        this.decisions = Objects.requireNonNull(decisions);
        this.selected = new long[words];
        this.selectedBy = new long[64 * words];
    }

    /** Evaluates {@code policy} as of {@code now}, handing each decision to {@code decisions} once it is final. */
    public static StreamingEvaluation start(LifecyclePolicy policy, Instant now, Consumer<ImageDecision> decisions) {
        return new StreamingEvaluation(policy, now, decisions);
    }

    /** Takes the next image; its decision is handed on now, or at {@link #finish()} when a count rule decides it. */
    @Override
    public void accept(ImageRecord image) {
        if (finished) {
            throw new IllegalStateException("the evaluation is finished");
        }
        if (!image.indexChildren().isEmpty()) {
            throw new IllegalArgumentException("image " + image.digest() + " is an index with children: keeping the"
                    + " children of a kept index needs every decision at once (LifecycleEngine.evaluate)");
        }
        Arrays.fill(selected, 0);
        int k = rules.select(image, selected, 0);
        long millis = LifecycleEngine.rankTime(image).toEpochMilli();
        if (k >= 0 && rules.isCountRule(k)) {
            rank(millis, k, pending.add(image));
            return;
        }
        decisions.accept(rules.decide(image, k, 0, k >= 0 && rules.dueByAge(image, millis, k)));
        if (rules.anyCountRule(selected, 0)) {
            int row = countedDigests.add();
            PackedDigest.pack(image.digest(), countedDigests, row, 0);
            rank(millis, k, -1 - row);
        }
    }

    /** Hands on the decisions of the images count rules decide: rule by rule, youngest first. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (ranked == 0) {
            return;
        }
        int[] youngestFirst = CountRanking.youngestFirst(rankMillis, ranked, this::compareDigests);
        int[] rank = CountRanking.ranks(youngestFirst, selectedBy, words, decider, rules.countRules(),
                rules.ruleCount());
        // Group the waiting images by deciding rule, keeping the youngest-first order within each (a counting sort).
        int[] start = new int[rules.ruleCount() + 1];
        for (int i = 0; i < ranked; i++) {
            if (where[i] >= 0) {
                start[decider[i] + 1]++;
            }
        }
        for (int k = 0; k < rules.ruleCount(); k++) {
            start[k + 1] += start[k];
        }
        int waiting = start[rules.ruleCount()];
        int[] slots = new int[waiting];
        int[] deciders = new int[waiting];
        int[] ranks = new int[waiting];
        for (int i : youngestFirst) {
            if (where[i] >= 0) {
                int j = start[decider[i]]++;
                slots[j] = where[i];
                deciders[j] = decider[i];
                ranks[j] = rank[i];
            }
        }
        // The waiting images are read in rank order, all over memory: each read starts the cache misses of an image
        // a few places ahead, so they overlap with the work on this one instead of coming one after another.
        long touched = 0;
        for (int j = 0; j < waiting; j++) {
            if (j + AHEAD < waiting) {
                touched += pending.touch(slots[j + AHEAD]);
            }
            decisions.accept(rules.decide(pending.get(slots[j]), deciders[j], ranks[j], false));
        }
        this.touched = touched;
    }

    private void rank(long millis, int k, int at) {
        if (ranked == rankMillis.length) {
            int capacity = (int) Math.min((long) ranked + (ranked >> 1), Integer.MAX_VALUE / Math.max(8, words));
            if (capacity <= ranked) {
                throw new OutOfMemoryError("more ranked images than an array holds");
            }
            rankMillis = Arrays.copyOf(rankMillis, capacity);
            selectedBy = Arrays.copyOf(selectedBy, words * capacity);
            decider = Arrays.copyOf(decider, capacity);
            where = Arrays.copyOf(where, capacity);
        }
        int i = ranked++;
        rankMillis[i] = millis;
        System.arraycopy(selected, 0, selectedBy, i * words, words);
        decider[i] = k;
        where[i] = at;
    }

    private int compareDigests(int a, int b) {
        int whereA = where[a];
        int whereB = where[b];
        if (whereA >= 0) {
            return whereB >= 0 ? pending.compareDigests(whereA, whereB)
                    : pending.compareDigest(whereA, countedDigests, -1 - whereB, 0);
        }
        return whereB >= 0 ? -pending.compareDigest(whereB, countedDigests, -1 - whereA, 0)
                : PackedDigest.compare(countedDigests, -1 - whereA, 0, countedDigests, -1 - whereB, 0);
    }
}
