package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a lifecycle policy does to one image now: keep it, expire it, or move it to archive. The deciding rule is the
 * highest-priority rule whose tagging requirements and storage class the image meets; no other rule can act on it.
 */
public sealed interface ImageDecision permits ImageDecision.Keep, ImageDecision.Expire, ImageDecision.Transition {

    enum Action { KEEP, EXPIRE, TRANSITION }

    ImageRecord image();

    Action action();

    /** The rule that decided; empty for an image no rule selects. */
    Optional<LifecycleRule> decidingRule();

    /**
     * The image's rank in the deciding {@code imageCountMoreThan} rule (1 is the newest), 0 when another kind of rule
     * decided or none did. An int rather than an object because a million decisions are built at a time.
     */
    int rank();

    /** Rank and count when the deciding rule is an {@code imageCountMoreThan} rule. */
    default Optional<CountStanding> standing() {
        return rank() == 0 ? Optional.empty()
                : Optional.of(new CountStanding(rank(), decidingRule().orElseThrow().countNumber()));
    }

    default OptionalInt rulePriority() {
        return decidingRule().map(rule -> OptionalInt.of(rule.rulePriority())).orElse(OptionalInt.empty());
    }

    default Digest digest() {
        return image().digest();
    }

    private static void checkRank(int rank, Optional<LifecycleRule> rule) {
        boolean ranked = rule.isPresent() && rule.get().isCountRule();
        if (ranked ? rank < 1 : rank != 0) {
            throw new IllegalArgumentException("rank " + rank + " for " + rule.map(LifecycleRule::label).orElse("no rule")
                    + ": images of a count rule rank from 1, others have rank 0");
        }
    }

    /**
     * The image stays.
     *
     * @param heldByIndex the manifest list or index that keeps this image although its rule would expire it
     */
    record Keep(ImageRecord image, Optional<LifecycleRule> decidingRule, int rank, Optional<Digest> heldByIndex)
            implements ImageDecision {

        public Keep {
            Objects.requireNonNull(image);
            Objects.requireNonNull(decidingRule);
            Objects.requireNonNull(heldByIndex);
            checkRank(rank, decidingRule);
        }

        /** An image no rule selects. */
        public static Keep unselected(ImageRecord image) {
            return new Keep(image, Optional.empty(), 0, Optional.empty());
        }

        @Override
        public Action action() {
            return Action.KEEP;
        }
    }

    /** ECR deletes the image within 24 hours. */
    record Expire(ImageRecord image, LifecycleRule rule, int rank) implements ImageDecision {

        public Expire {
            Objects.requireNonNull(image);
            Objects.requireNonNull(rule);
            checkRank(rank, Optional.of(rule));
        }

        @Override
        public Action action() {
            return Action.EXPIRE;
        }

        @Override
        public Optional<LifecycleRule> decidingRule() {
            return Optional.of(rule);
        }
    }

    /** ECR moves the image to the archive storage class within 24 hours; it can no longer be pulled. */
    record Transition(ImageRecord image, LifecycleRule rule, int rank)
            implements ImageDecision {

        public Transition {
            Objects.requireNonNull(image);
            Objects.requireNonNull(rule);
            checkRank(rank, Optional.of(rule));
        }

        @Override
        public Action action() {
            return Action.TRANSITION;
        }

        @Override
        public Optional<LifecycleRule> decidingRule() {
            return Optional.of(rule);
        }
    }
}
