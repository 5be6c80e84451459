package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A policy's rules as both engines apply them to one image: which rules select it, which one decides, whether a
 * deciding age rule is due, and the decision once the rank is known. {@link LifecycleEngine#evaluate} and
 * {@link StreamingEvaluation} differ only in when they hold images and in what order they hand out decisions; every
 * rule semantic lives here and in {@link CountRanking}.
 *
 * <p>Rules are numbered by their position in the policy (priority order); which rules select an image is a bit set of
 * {@link #words()} longs.
 */
final class RuleSelection {

    private static final long DAY_MILLIS = 86_400_000L;

    private final LifecycleRule[] rules;
    private final Optional<LifecycleRule>[] ruleRefs;
    private final int[] countRules;
    private final long[] countRuleBits;
    private final int words;
    private final long nowMillis;

    @SuppressWarnings("unchecked")
    RuleSelection(LifecyclePolicy policy, Instant now) {
        this.rules = policy.rules().toArray(new LifecycleRule[0]);
        this.words = (rules.length + 63) / 64;
        this.nowMillis = now.toEpochMilli();
        // One Optional per rule, shared by every decision it makes: a million decisions, two rules, two Optionals.
        this.ruleRefs = new Optional[rules.length];
        for (int k = 0; k < rules.length; k++) {
            ruleRefs[k] = Optional.of(rules[k]);
        }
        this.countRules = IntStream.range(0, rules.length).filter(k -> rules[k].isCountRule()).toArray();
        this.countRuleBits = new long[words];
        for (int k : countRules) {
            countRuleBits[k >>> 6] |= 1L << (k & 63);
        }
    }

    int words() {
        return words;
    }

    int ruleCount() {
        return rules.length;
    }

    /** Positions of the {@code imageCountMoreThan} rules, in priority order. */
    int[] countRules() {
        return countRules;
    }

    boolean isCountRule(int k) {
        return rules[k].isCountRule();
    }

    /**
     * Tests {@code image} against the rules, setting in {@code selectedBy[offset…offset + words)} the bit of each rule
     * that selects it, and returns the deciding rule (the first that selects it), or -1. Once a rule has decided,
     * only count rules are tested: they still count the image, other rules can no longer act on it.
     */
    int select(ImageRecord image, long[] selectedBy, int offset) {
        int decidedBy = -1;
        for (int k = 0; k < rules.length; k++) {
            if ((decidedBy < 0 || rules[k].isCountRule()) && rules[k].selects(image)) {
                selectedBy[offset + (k >>> 6)] |= 1L << (k & 63);
                if (decidedBy < 0) {
                    decidedBy = k;
                }
            }
        }
        return decidedBy;
    }

    /** Whether a count rule's bit is set in {@code selectedBy[offset…offset + words)}: the image must be ranked. */
    boolean anyCountRule(long[] selectedBy, int offset) {
        for (int w = 0; w < words; w++) {
            if ((selectedBy[offset + w] & countRuleBits[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether age rule {@code k} is due for the image: strictly older than the rule's days. */
    boolean dueByAge(ImageRecord image, long rankMillis, int k) {
        LifecycleRule rule = rules[k];
        long since;
        switch (rule.countType()) {
            case SINCE_IMAGE_PUSHED -> since = rankMillis;
            case SINCE_IMAGE_PULLED -> since = Math.max(rankMillis,
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
     * The decision of rule {@code k} (-1: none) on an image: for a count rule from its rank, for an age rule from
     * whether it is due.
     */
    ImageDecision decide(ImageRecord image, int k, int rank, boolean dueByAge) {
        if (k < 0) {
            return ImageDecision.Keep.unselected(image);
        }
        LifecycleRule rule = rules[k];
        boolean due = rule.isCountRule() ? rank > rule.countNumber() : dueByAge;
        if (!due) {
            return new ImageDecision.Keep(image, ruleRefs[k], rank, Optional.empty());
        }
        return rule.action() == RuleAction.EXPIRE
                ? new ImageDecision.Expire(image, rule, rank)
                : new ImageDecision.Transition(image, rule, rank);
    }
}
