package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.json.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A policy written back as the lifecycle policy JSON ECR takes, for tests of code that reads the policy's text. */
final class PolicyJson {

    private PolicyJson() {
    }

    static String of(LifecyclePolicy policy) {
        List<Map<String, Object>> rules = policy.rules().stream().map(PolicyJson::rule).toList();
        return JsonText.write(Map.of("rules", rules));
    }

    private static Map<String, Object> rule(LifecycleRule rule) {
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("tagStatus", rule.tagStatus().json());
        rule.tagFilter().ifPresent(filter -> selection.put(filter.kind().field(), filter.entries()));
        selection.put("storageClass", rule.storageClass().name().toLowerCase());
        selection.put("countType", rule.countType().json());
        if (rule.countType().isAge()) {
            selection.put("countUnit", "days");
        }
        selection.put("countNumber", rule.countNumber());
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", rule.action().json());
        if (rule.action() == RuleAction.TRANSITION) {
            action.put("targetStorageClass", "archive");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rulePriority", rule.rulePriority());
        rule.description().ifPresent(description -> json.put("description", description));
        json.put("selection", selection);
        json.put("action", action);
        return json;
    }
}
