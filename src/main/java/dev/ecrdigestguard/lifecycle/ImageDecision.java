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

    /** Rank and count when the deciding rule is an {@code imageCountMoreThan} rule. */
    Optional<CountStanding> standing();

    default OptionalInt rulePriority() {
        return decidingRule().map(rule -> OptionalInt.of(rule.rulePriority())).orElse(OptionalInt.empty());
    }

    default Digest digest() {
        return image().digest();
    }

    /**
     * The image stays.
     *
     * @param heldByIndex the manifest list or index that keeps this image although its rule would expire it
     */
    record Keep(ImageRecord image, Optional<LifecycleRule> decidingRule, Optional<CountStanding> standing,
            Optional<Digest> heldByIndex) implements ImageDecision {

        public Keep {
            Objects.requireNonNull(image);
            Objects.requireNonNull(decidingRule);
            Objects.requireNonNull(standing);
            Objects.requireNonNull(heldByIndex);
        }

        @Override
        public Action action() {
            return Action.KEEP;
        }
    }

    /** ECR deletes the image within 24 hours. */
    record Expire(ImageRecord image, LifecycleRule rule, Optional<CountStanding> standing) implements ImageDecision {

        public Expire {
            Objects.requireNonNull(image);
            Objects.requireNonNull(rule);
            Objects.requireNonNull(standing);
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
    record Transition(ImageRecord image, LifecycleRule rule, Optional<CountStanding> standing)
            implements ImageDecision {

        public Transition {
            Objects.requireNonNull(image);
            Objects.requireNonNull(rule);
            Objects.requireNonNull(standing);
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
