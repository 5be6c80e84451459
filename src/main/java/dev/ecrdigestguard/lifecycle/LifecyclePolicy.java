package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lifecycle policy ECR would accept: its rules, sorted by priority, checked against the constraints that hold
 * between rules. Build one from JSON with {@link LifecyclePolicyParser}.
 */
public record LifecyclePolicy(List<LifecycleRule> rules) {

    public LifecyclePolicy {
        if (rules == null || rules.isEmpty()) {
            throw new LifecyclePolicyException("rules: a lifecycle policy needs at least one rule");
        }
        rules = rules.stream().sorted(Comparator.comparingInt(LifecycleRule::rulePriority)).toList();
        checkUniquePriorities(rules);
        checkAnyRuleIsLast(rules);
        checkOneUntaggedRulePerStorageClass(rules);
        checkUniqueTagFiltersPerStorageClass(rules);
    }

    public static LifecyclePolicy of(LifecycleRule... rules) {
        return new LifecyclePolicy(List.of(rules));
    }

    private static void checkUniquePriorities(List<LifecycleRule> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).rulePriority() == sorted.get(i - 1).rulePriority()) {
                throw new LifecyclePolicyException("rule " + sorted.get(i).rulePriority()
                        + ": rulePriority " + sorted.get(i).rulePriority() + " is used by more than one rule; each rule"
                        + " needs a unique rulePriority");
            }
        }
    }

    /**
     * The {@code any} rule must come last. Checked per storage class, like the other constraints on selections: an
     * archive {@code any} rule (say, delete after 180 days in archive) sits beside a standard one. Being stricter
     * here would refuse policies ECR may well accept; being looser only lets ECR have the last word.
     */
    private static void checkAnyRuleIsLast(List<LifecycleRule> sorted) {
        Map<StorageClass, Integer> highest = new HashMap<>();
        for (LifecycleRule rule : sorted) {
            highest.merge(rule.storageClass(), rule.rulePriority(), Math::max);
        }
        for (LifecycleRule rule : sorted) {
            int last = highest.get(rule.storageClass());
            if (rule.tagStatus() == TagStatus.ANY && rule.rulePriority() != last) {
                throw new LifecyclePolicyException("rule " + rule.rulePriority() + ": a rule with selection.tagStatus"
                        + " any must have the highest rulePriority of the " + rule.storageClass().name().toLowerCase()
                        + " rules (highest here is " + last + ")");
            }
        }
    }

    private static void checkOneUntaggedRulePerStorageClass(List<LifecycleRule> sorted) {
        Map<StorageClass, LifecycleRule> seen = new HashMap<>();
        for (LifecycleRule rule : sorted) {
            if (rule.tagStatus() == TagStatus.UNTAGGED) {
                LifecycleRule earlier = seen.putIfAbsent(rule.storageClass(), rule);
                if (earlier != null) {
                    throw new LifecyclePolicyException("rule " + rule.rulePriority() + ": selection.tagStatus"
                            + " untagged is already used by rule " + earlier.rulePriority() + " for storage class "
                            + rule.storageClass().name().toLowerCase() + "; only one untagged rule is allowed per"
                            + " storage class");
                }
            }
        }
    }

    private static void checkUniqueTagFiltersPerStorageClass(List<LifecycleRule> sorted) {
        Map<StorageClass, Map<Set<String>, LifecycleRule>> seen = new HashMap<>();
        for (LifecycleRule rule : sorted) {
            if (rule.tagFilter().isEmpty()) {
                continue;
            }
            TagFilter filter = rule.tagFilter().get();
            // A prefix "v" and a pattern "v*" select the same tags, so both are compared as patterns.
            Set<String> key = new HashSet<>();
            filter.patterns().forEach(pattern -> key.add(pattern.text()));
            LifecycleRule earlier = seen.computeIfAbsent(rule.storageClass(), k -> new HashMap<>()).putIfAbsent(key, rule);
            if (earlier != null) {
                throw new LifecyclePolicyException("rule " + rule.rulePriority() + ": selection." + filter.kind().field()
                        + " " + filter.entries() + " repeats the tags of rule " + earlier.rulePriority()
                        + " for storage class " + rule.storageClass().name().toLowerCase()
                        + "; tag prefixes and patterns must be unique per storage class");
            }
        }
    }
}
