package dev.ecrdigestguard.lifecycle;

import java.util.Arrays;

/**
 * How {@code imageCountMoreThan} rules rank images, for both engines: youngest rank time first (in milliseconds),
 * equal times by digest, equal digests in the order the images came. Images are numbered 0…n-1 by the caller, which
 * says how two digests compare.
 */
final class CountRanking {

    /** Compares the digests of two numbered images. */
    @FunctionalInterface
    interface Digests {
        int compare(int a, int b);
    }

    private CountRanking() {
    }

    /**
     * The numbers of the first {@code n} images, youngest first. Sorts primitives: the rank time (or, when the times
     * span too much to share a long with the number, its position among the distinct times) packed with the image's
     * number, so equal times come out in arrival order; only runs of equal times are then sorted by digest.
     */
    static int[] youngestFirst(long[] rankMillis, int n, Digests digests) {
        int[] order = new int[n];
        if (n == 0) {
            return order;
        }
        int indexBits = Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1));
        long newest = Long.MIN_VALUE;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            newest = Math.max(newest, rankMillis[i]);
            oldest = Math.min(oldest, rankMillis[i]);
        }
        long span = newest - oldest;
        long[] keys = new long[n];
        if (span >= 0 && span < (1L << (63 - indexBits))) {
            for (int i = 0; i < n; i++) {
                keys[i] = ((newest - rankMillis[i]) << indexBits) | i;
            }
        } else {
            // Hostile or far-apart times (1970 and 9999): rank the distinct times instead, which fit in indexBits.
            long[] distinct = Arrays.copyOf(rankMillis, n);
            Arrays.sort(distinct);
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (count == 0 || distinct[i] != distinct[count - 1]) {
                    distinct[count++] = distinct[i];
                }
            }
            for (int i = 0; i < n; i++) {
                long newerTimes = count - 1 - Arrays.binarySearch(distinct, 0, count, rankMillis[i]);
                keys[i] = (newerTimes << indexBits) | i;
            }
        }
        Arrays.parallelSort(keys);
        long mask = (1L << indexBits) - 1;
        for (int p = 0; p < n; p++) {
            order[p] = (int) (keys[p] & mask);
        }
        breakTiesByDigest(keys, indexBits, order, digests);
        return order;
    }

    private static void breakTiesByDigest(long[] keys, int indexBits, int[] order, Digests digests) {
        int start = 0;
        while (start < keys.length) {
            int end = start + 1;
            while (end < keys.length && (keys[end] >>> indexBits) == (keys[start] >>> indexBits)) {
                end++;
            }
            if (end - start > 1) {
                // A stable sort: equal digests stay in arrival order.
                Integer[] run = new Integer[end - start];
                for (int p = start; p < end; p++) {
                    run[p - start] = order[p];
                }
                Arrays.sort(run, (a, b) -> digests.compare(a, b));
                for (int p = start; p < end; p++) {
                    order[p] = run[p - start];
                }
            }
            start = end;
        }
    }

    /**
     * Walks the images youngest first and numbers, for each count rule, the images it selects; returns each image's
     * number in its deciding rule (0 when that is not a count rule or there is none).
     *
     * @param selectedBy per image, {@code words} longs: the bits of the rules that select it
     * @param decider    per image, the deciding rule or -1
     */
    static int[] ranks(int[] youngestFirst, long[] selectedBy, int words, int[] decider, int[] countRules,
            int ruleCount) {
        int[] selectedSoFar = new int[ruleCount];
        int[] rank = new int[youngestFirst.length];
        for (int i : youngestFirst) {
            for (int k : countRules) {
                if ((selectedBy[i * words + (k >>> 6)] & (1L << (k & 63))) != 0) {
                    int position = ++selectedSoFar[k];
                    if (k == decider[i]) {
                        rank[i] = position;
                    }
                }
            }
        }
        return rank;
    }
}
