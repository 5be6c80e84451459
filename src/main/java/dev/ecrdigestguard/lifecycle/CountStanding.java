package dev.ecrdigestguard.lifecycle;

/**
 * Where an image stands in an {@code imageCountMoreThan} rule: its rank among the images the rule selects, youngest
 * first (1 is the newest), and the rule's count.
 */
public record CountStanding(int rank, int countNumber) {

    public CountStanding {
        if (rank < 1 || countNumber < 1) {
            throw new IllegalArgumentException("rank and countNumber start at 1, got " + rank + " and " + countNumber);
        }
    }

    /** How many newer images the rule can still take before this one goes; negative once it is past the count. */
    public int headroom() {
        return countNumber - rank;
    }

    public boolean withinCount() {
        return rank <= countNumber;
    }
}
