package dev.ecrdigestguard.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.text.Echo;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a lifecycle policy from JSON: the policy itself ({@code {"rules":[…]}}) or what
 * {@code aws ecr get-lifecycle-policy} prints, where the policy is a JSON string in {@code lifecyclePolicyText}.
 * Everything ECR would reject is rejected here with a {@link LifecyclePolicyException} naming rule, field and value.
 *
 * <p>ECR's own size limit comes first: a policy text longer than {@link #MAX_POLICY_CHARACTERS} is refused before it
 * is parsed, as {@code PutLifecyclePolicy} refuses it, so a huge document (or a hostile server's answer to
 * {@code GetLifecyclePolicy}) costs neither the parse nor an evaluation with thousands of rules. A leading byte-order
 * mark, which Windows editors write, is not part of the policy.
 */
public final class LifecyclePolicyParser {

    /** ECR's limit on {@code lifecyclePolicyText} (PutLifecyclePolicy; AWS::ECR::Repository LifecyclePolicyText). */
    public static final int MAX_POLICY_CHARACTERS = 30_720;
    /**
     * The most an input may hold before it is parsed: the policy, escaped as a JSON string inside the
     * {@code get-lifecycle-policy} output (escaping can make it several times longer), with that output's other fields.
     */
    static final int MAX_INPUT_CHARACTERS = 8 * MAX_POLICY_CHARACTERS;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RULE_FIELDS = Set.of("rulePriority", "description", "selection", "action");
    private static final Set<String> SELECTION_FIELDS = Set.of("tagStatus", "tagPatternList", "tagPrefixList",
            "storageClass", "countType", "countUnit", "countNumber");
    private static final Set<String> ACTION_FIELDS = Set.of("type", "targetStorageClass");

    private LifecyclePolicyParser() {
    }

    public static LifecyclePolicy parse(String json) {
        String input = json != null && !json.isEmpty() && json.charAt(0) == BYTE_ORDER_MARK ? json.substring(1) : json;
        requireAtMost(input, MAX_INPUT_CHARACTERS, "lifecycle policy");
        JsonNode root = readTree(input, "lifecycle policy");
        if (root.isObject() && root.has("lifecyclePolicyText")) {
            JsonNode text = root.get("lifecyclePolicyText");
            if (!text.isTextual()) {
                throw new LifecyclePolicyException("lifecyclePolicyText: expected the policy as a JSON string, got "
                        + text.getNodeType().name().toLowerCase());
            }
            requireAtMost(text.asText(), MAX_POLICY_CHARACTERS, "lifecyclePolicyText");
            root = readTree(text.asText(), "lifecyclePolicyText");
        } else {
            requireAtMost(input, MAX_POLICY_CHARACTERS, "lifecycle policy");
        }
        if (!root.isObject()) {
            throw new LifecyclePolicyException("lifecycle policy: expected a JSON object with \"rules\", got "
                    + root.getNodeType().name().toLowerCase());
        }
        rejectUnknown(root, Set.of("rules"), "lifecycle policy");
        JsonNode rules = root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new LifecyclePolicyException("rules: expected an array of rules");
        }
        List<LifecycleRule> parsed = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            parsed.add(parseRule(rules.get(i), i));
        }
        return new LifecyclePolicy(parsed);
    }

    private static void requireAtMost(String text, int limit, String what) {
        if (text != null && text.length() > limit) {
            throw new LifecyclePolicyException(what + ": " + text.length() + " characters; ECR accepts a lifecycle "
                    + "policy of at most " + MAX_POLICY_CHARACTERS + " characters");
        }
    }

    private static JsonNode readTree(String json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new LifecyclePolicyException(what + ": empty document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new LifecyclePolicyException(what + ": not valid JSON: " + Echo.of(e.getOriginalMessage(), 160),
                    e);
        }
    }

    private static LifecycleRule parseRule(JsonNode node, int index) {
        String position = "rules[" + index + "]";
        if (!node.isObject()) {
            throw new LifecyclePolicyException(position + ": expected a rule object");
        }
        JsonNode priorityNode = node.get("rulePriority");
        if (priorityNode == null || !priorityNode.canConvertToInt() || !priorityNode.isIntegralNumber()) {
            throw new LifecyclePolicyException(position + ": rulePriority is required and must be an integer, got "
                    + shown(priorityNode));
        }
        int priority = priorityNode.intValue();
        String rule = "rule " + priority;
        rejectUnknown(node, RULE_FIELDS, rule);
        Optional<String> description = Optional.ofNullable(node.get("description"))
                .map(d -> text(d, rule, "description"));

        JsonNode selection = node.get("selection");
        if (selection == null || !selection.isObject()) {
            throw new LifecyclePolicyException(rule + ": selection is required and must be an object");
        }
        rejectUnknown(selection, SELECTION_FIELDS, rule + ": selection");
        TagStatus tagStatus = enumValue(selection, "tagStatus", TagStatus.values(), TagStatus::json, rule, true);
        Optional<TagFilter> prefixes = tagFilter(selection, TagFilter.Kind.PREFIX, rule);
        Optional<TagFilter> patterns = tagFilter(selection, TagFilter.Kind.PATTERN, rule);
        if (prefixes.isPresent() && patterns.isPresent()) {
            throw new LifecyclePolicyException(rule + ": selection has both tagPrefixList and tagPatternList; use one");
        }
        StorageClass storageClass = selection.has("storageClass")
                ? storageClass(selection.get("storageClass"), rule, "selection.storageClass")
                : StorageClass.STANDARD;
        CountType countType = enumValue(selection, "countType", CountType.values(), CountType::json, rule, true);
        checkCountUnit(selection, countType, rule);
        JsonNode countNumber = selection.get("countNumber");
        if (countNumber == null || !countNumber.isIntegralNumber() || !countNumber.canConvertToInt()
                || countNumber.intValue() < 1) {
            throw new LifecyclePolicyException(rule + ": selection.countNumber must be a positive integer, got "
                    + shown(countNumber));
        }

        JsonNode action = node.get("action");
        if (action == null || !action.isObject()) {
            throw new LifecyclePolicyException(rule + ": action is required and must be an object");
        }
        rejectUnknown(action, ACTION_FIELDS, rule + ": action");
        RuleAction type = enumValue(action, "type", RuleAction.values(), RuleAction::json, rule + ": action", true);
        JsonNode target = action.get("targetStorageClass");
        if (type == RuleAction.TRANSITION) {
            if (target == null || !"archive".equals(target.asText()) || !target.isTextual()) {
                throw new LifecyclePolicyException(rule + ": action.targetStorageClass must be archive for a"
                        + " transition, got " + shown(target));
            }
        } else if (target != null) {
            throw new LifecyclePolicyException(rule + ": action.targetStorageClass is only allowed with action.type"
                    + " transition");
        }
        try {
            return new LifecycleRule(priority, description, tagStatus, prefixes.or(() -> patterns), storageClass,
                    countType, countNumber.intValue(), type);
        } catch (IllegalArgumentException e) {
            throw new LifecyclePolicyException(rule + ": " + e.getMessage(), e);
        }
    }

    private static void checkCountUnit(JsonNode selection, CountType countType, String rule) {
        JsonNode unit = selection.get("countUnit");
        if (countType.isAge()) {
            if (unit == null || !unit.isTextual() || !"days".equals(unit.asText())) {
                throw new LifecyclePolicyException(rule + ": selection.countUnit must be days with countType "
                        + countType.json() + ", got " + shown(unit));
            }
        } else if (unit != null) {
            throw new LifecyclePolicyException(rule + ": selection.countUnit is only allowed with the since… count"
                    + " types, not with " + countType.json());
        }
    }

    private static Optional<TagFilter> tagFilter(JsonNode selection, TagFilter.Kind kind, String rule) {
        JsonNode list = selection.get(kind.field());
        if (list == null) {
            return Optional.empty();
        }
        String field = "selection." + kind.field();
        if (!list.isArray() || list.isEmpty()) {
            throw new LifecyclePolicyException(rule + ": " + field + " must be a non-empty list of strings, got "
                    + shown(list));
        }
        List<String> entries = new ArrayList<>();
        for (JsonNode entry : list) {
            entries.add(text(entry, rule, field));
        }
        try {
            return Optional.of(TagFilter.of(kind, entries));
        } catch (IllegalArgumentException e) {
            throw new LifecyclePolicyException(rule + ": " + field + ": " + e.getMessage(), e);
        }
    }

    private static StorageClass storageClass(JsonNode node, String rule, String field) {
        String value = text(node, rule, field);
        return switch (value) {
            case "standard" -> StorageClass.STANDARD;
            case "archive" -> StorageClass.ARCHIVE;
            default -> throw new LifecyclePolicyException(rule + ": " + field + " must be standard or archive, got '"
                    + Echo.of(value) + "'");
        };
    }

    private static <E extends Enum<E>> E enumValue(JsonNode parent, String field, E[] values,
            java.util.function.Function<E, String> json, String where, boolean required) {
        JsonNode node = parent.get(field);
        String qualified = where.endsWith(": action") ? where + "." + field
                : where + ": selection." + field;
        if (node == null) {
            if (required) {
                throw new LifecyclePolicyException(qualified + " is required (one of " + names(values, json) + ")");
            }
            return null;
        }
        if (node.isTextual()) {
            for (E value : values) {
                if (json.apply(value).equals(node.asText())) {
                    return value;
                }
            }
        }
        throw new LifecyclePolicyException(qualified + " must be one of " + names(values, json) + ", got "
                + shown(node));
    }

    private static <E> String names(E[] values, java.util.function.Function<E, String> json) {
        List<String> names = new ArrayList<>();
        for (E value : values) {
            names.add(json.apply(value));
        }
        return String.join(", ", names);
    }

    private static String text(JsonNode node, String rule, String field) {
        if (!node.isTextual()) {
            throw new LifecyclePolicyException(rule + ": " + field + " must be a string, got " + shown(node));
        }
        return node.asText();
    }

    /** A value from the policy in a message: its JSON, short and escaped; "nothing" when absent. */
    private static String shown(JsonNode node) {
        return node == null ? "nothing" : Echo.of(node.toString(), 60);
    }

    private static void rejectUnknown(JsonNode object, Set<String> allowed, String where) {
        Iterator<String> names = ((ObjectNode) object).fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new LifecyclePolicyException(where + ": unknown field '" + Echo.of(name) + "' (ECR accepts only "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }
}
