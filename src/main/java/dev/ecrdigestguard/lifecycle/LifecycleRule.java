package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.text.Echo;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a lifecycle policy, checked in its compact constructor against every constraint ECR puts on a single
 * rule; constraints between rules live in {@link LifecyclePolicy}. Ages are always in days: {@code days} is the only
 * {@code countUnit} ECR accepts.
 *
 * @param storageClass which images the rule looks at: {@code standard} (the default) or {@code archive}
 * @param countNumber  the image count for {@link CountType#IMAGE_COUNT_MORE_THAN}, the number of days otherwise
 */
public record LifecycleRule(
        int rulePriority,
        Optional<String> description,
        TagStatus tagStatus,
        Optional<TagFilter> tagFilter,
        StorageClass storageClass,
        CountType countType,
        int countNumber,
        RuleAction action) {

    /** Enough of a description to recognise the rule by; ECR sets no limit of its own. */
    static final int DESCRIPTION_SHOWN = 120;

    public LifecycleRule {
        description = Objects.requireNonNull(description);
        tagFilter = Objects.requireNonNull(tagFilter);
        String rule = "rule " + rulePriority;
        if (rulePriority < 1) {
            throw new LifecyclePolicyException("rule " + rulePriority + ": rulePriority must be a positive integer, got "
                    + rulePriority);
        }
        require(tagStatus != null, rule + ": selection.tagStatus is required (tagged, untagged or any)");
        require(storageClass != null, rule + ": selection.storageClass must be standard or archive");
        require(countType != null, rule + ": selection.countType is required");
        require(action != null, rule + ": action.type is required (expire or transition)");
        require(countNumber >= 1, rule + ": selection.countNumber must be a positive integer, got " + countNumber);
        switch (tagStatus) {
            case TAGGED -> require(tagFilter.isPresent(), rule
                    + ": selection.tagStatus tagged needs a tagPrefixList or a tagPatternList");
            case UNTAGGED -> require(tagFilter.isEmpty(), rule + ": selection." + fieldOf(tagFilter)
                    + " must be omitted when tagStatus is untagged");
            case ANY -> require(tagFilter.isEmpty(), rule + ": selection." + fieldOf(tagFilter)
                    + " must be omitted when tagStatus is any (the rule selects every image)");
        }
        if (countType == CountType.SINCE_IMAGE_PULLED) {
            require(action == RuleAction.TRANSITION, rule
                    + ": selection.countType sinceImagePulled is allowed only with action.type transition");
        }
        if (countType == CountType.SINCE_IMAGE_TRANSITIONED) {
            require(action == RuleAction.EXPIRE, rule
                    + ": selection.countType sinceImageTransitioned is allowed only with action.type expire");
            require(storageClass == StorageClass.ARCHIVE, rule
                    + ": selection.countType sinceImageTransitioned needs selection.storageClass archive");
        }
        if (action == RuleAction.TRANSITION) {
            require(storageClass == StorageClass.STANDARD, rule
                    + ": action.type transition moves standard images to archive; selection.storageClass must be"
                    + " standard, got archive");
        }
    }

    private static String fieldOf(Optional<TagFilter> filter) {
        return filter.map(f -> f.kind().field()).orElse("tagPrefixList");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new LifecyclePolicyException(message);
        }
    }

    /** A rule as most policies write it: expire, standard storage. */
    public static LifecycleRule expire(int priority, String description, TagStatus status, Optional<TagFilter> filter,
            CountType countType, int countNumber) {
        return new LifecycleRule(priority, Optional.ofNullable(description), status, filter, StorageClass.STANDARD,
                countType, countNumber, RuleAction.EXPIRE);
    }

    /**
     * Whether the image meets the rule's tagging requirements and storage class. ECR calls this the image matching the
     * rule: once it does, no lower-priority rule may act on it, whether or not this rule does.
     */
    public boolean selects(ImageRecord image) {
        if (image.storageClass() != storageClass) {
            return false;
        }
        return switch (tagStatus) {
            case ANY -> true;
            case UNTAGGED -> image.tags().isEmpty();
            case TAGGED -> !image.tags().isEmpty() && tagFilter.get().matches(image.tags());
        };
    }

    /**
     * For an age rule, the instant its days are counted from for {@code image}: the push (or last restore), the later
     * of that and the last pull, or the move to archive; empty when the image has no such instant (archived at an
     * unknown time), so the rule can't be due. The image is due once it is more than {@code countNumber} days past it.
     */
    public Optional<Instant> ageStart(ImageRecord image) {
        Instant ranked = LifecycleEngine.rankTime(image);
        return switch (countType) {
            case SINCE_IMAGE_PUSHED -> Optional.of(ranked);
            case SINCE_IMAGE_PULLED -> Optional.of(image.lastPulledAt().filter(pulled -> pulled.isAfter(ranked))
                    .orElse(ranked));
            case SINCE_IMAGE_TRANSITIONED -> image.lastArchivedAt();
            case IMAGE_COUNT_MORE_THAN -> throw new IllegalStateException(label() + " is a count rule, not an age rule");
        };
    }

    /** For an age rule: when {@code image} passes the rule's age, if it ever does. */
    public Optional<Instant> dueAt(ImageRecord image) {
        return ageStart(image).map(start -> start.plus(Duration.ofDays(countNumber)));
    }

    public boolean isCountRule() {
        return countType == CountType.IMAGE_COUNT_MORE_THAN;
    }

    /**
     * "rule 1 'Keep last 5 production images'", or "rule 1" when the rule has no description. The description is the
     * policy author's free text, shown on terminals: escaped and cut ({@link Echo}).
     */
    public String label() {
        return "rule " + rulePriority + description.filter(d -> !d.isBlank())
                .map(d -> " '" + Echo.of(d, DESCRIPTION_SHOWN) + "'").orElse("");
    }
}
