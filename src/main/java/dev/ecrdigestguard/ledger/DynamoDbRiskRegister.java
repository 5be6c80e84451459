package dev.ecrdigestguard.ledger;

import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.guard.RiskRecord;
import dev.ecrdigestguard.guard.RiskRegister;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.log.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The register of releases alerted about as at risk, in the function's DynamoDB table ({@link LedgerTable}): one item
 * per repository, image and rule, beside the repository's releases. Every change is conditional on what the caller
 * read ({@code lastAlertedAt}, a number), so of two invocations judging the same repository only one alerts.
 */
public final class DynamoDbRiskRegister implements RiskRegister {

    static final String RISK = "RISK#";

    private final LedgerTable table;

    public DynamoDbRiskRegister(LedgerTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public List<RiskRecord> atRisk(RepositoryLocation repository) {
        List<RiskRecord> records = new ArrayList<>();
        table.query(LedgerTable.repositoryKey(repository), RISK, item -> {
            try {
                records.add(record(item));
            } catch (IllegalArgumentException e) {
                Log.warn("release-at-risk item skipped: " + e.getMessage(), "table", table.name(), "sk",
                        LedgerTable.text(item, "sk").orElse(""));
            }
        });
        return records;
    }

    @Override
    public boolean claim(RepositoryLocation repository, Optional<RiskRecord> expected, RiskRecord record) {
        Map<String, AttributeValue> item = item(repository, record);
        return table.conditionally("dynamodb:PutItem", "release at risk " + record.key() + " of " + repository,
                () -> table.dynamo().putItem(request -> {
                    request.tableName(table.name()).item(item);
                    if (expected.isEmpty()) {
                        request.conditionExpression("attribute_not_exists(pk)");
                    } else {
                        request.conditionExpression("#last = :expected")
                                .expressionAttributeNames(Map.of("#last", "lastAlertedAt"))
                                .expressionAttributeValues(Map.of(":expected",
                                        LedgerTable.millis(expected.get().lastAlertedAt())));
                    }
                }));
    }

    @Override
    public boolean forget(RepositoryLocation repository, RiskRecord expected) {
        return table.conditionally("dynamodb:DeleteItem", "release at risk " + expected.key() + " of " + repository,
                () -> table.dynamo().deleteItem(request -> request
                        .tableName(table.name())
                        .key(LedgerTable.key(LedgerTable.repositoryKey(repository), RISK + expected.key()))
                        .conditionExpression("#last = :expected")
                        .expressionAttributeNames(Map.of("#last", "lastAlertedAt"))
                        .expressionAttributeValues(Map.of(":expected",
                                LedgerTable.millis(expected.lastAlertedAt())))));
    }

    @Override
    public void remember(RepositoryLocation repository, RiskRecord record) {
        Map<String, AttributeValue> item = item(repository, record);
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder update = new StringBuilder("SET ");
        Map<String, String> names = new HashMap<>();
        int n = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            if (attribute.getKey().equals("pk") || attribute.getKey().equals("sk")) {
                continue;
            }
            String name = "#a" + n;
            String value = ":v" + n++;
            names.put(name, attribute.getKey());
            values.put(value, attribute.getValue());
            update.append(update.length() > 4 ? ", " : "").append(name).append(" = ")
                    .append(attribute.getKey().equals("firstFoundAt") ? "if_not_exists(" + name + ", " + value + ")"
                            : value);
        }
        table.call("dynamodb:UpdateItem", "release at risk " + record.key() + " of " + repository, () ->
                table.dynamo().updateItem(request -> request
                        .tableName(table.name())
                        .key(LedgerTable.key(item.get("pk").s(), item.get("sk").s()))
                        .updateExpression(update.toString())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)));
    }

    private static Map<String, AttributeValue> item(RepositoryLocation repository, RiskRecord record) {
        Map<String, AttributeValue> item = LedgerTable.key(LedgerTable.repositoryKey(repository),
                RISK + record.key());
        item.put("digest", LedgerTable.text(record.digest().value()));
        item.put("rulePriority", LedgerTable.number(record.rulePriority()));
        item.put("productionTags", AttributeValue.fromL(record.productionTags().stream()
                .map(tag -> LedgerTable.text(tag.value())).toList()));
        record.ruleDescription().ifPresent(description -> item.put("ruleDescription",
                LedgerTable.text(description)));
        item.put("outcome", LedgerTable.text(record.outcome().name()));
        item.put("dueAt", LedgerTable.millis(record.dueAt()));
        item.put("firstFoundAt", LedgerTable.millis(record.firstFoundAt()));
        item.put("lastAlertedAt", LedgerTable.millis(record.lastAlertedAt()));
        return item;
    }

    private static RiskRecord record(Map<String, AttributeValue> item) {
        String outcome = LedgerTable.requiredText(item, "outcome");
        LifecycleExpiryFinding.Outcome parsed;
        try {
            parsed = LifecycleExpiryFinding.Outcome.valueOf(outcome);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outcome '" + outcome + "' is neither EXPIRE nor ARCHIVE");
        }
        long priority = LedgerTable.requiredNumber(item, "rulePriority");
        if (priority < 1 || priority > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rulePriority " + priority + " is not a rule priority");
        }
        return new RiskRecord(Digest.of(LedgerTable.requiredText(item, "digest")), (int) priority,
                LedgerTable.texts(item, "productionTags").stream().map(Tag::of).toList(),
                LedgerTable.text(item, "ruleDescription"), parsed,
                LedgerTable.requiredInstant(item, "dueAt"), LedgerTable.requiredInstant(item, "firstFoundAt"),
                LedgerTable.requiredInstant(item, "lastAlertedAt"));
    }
}
