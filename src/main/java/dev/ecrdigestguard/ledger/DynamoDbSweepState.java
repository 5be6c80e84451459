package dev.ecrdigestguard.ledger;

import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.sweep.SweepState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The sweep's checkpoints and each registry's backfill progress, in the function's DynamoDB table
 * ({@link LedgerTable}). A step is claimed with a conditional write naming the step and a lease until the claiming
 * invocation's end, and handed on with another conditional on the same step: a duplicated event finds the step taken
 * or done, and a step whose invocation died (its lease run out) is claimed again by Lambda's retry. Checkpoints of a
 * sweep expire from the table two weeks after it (the table's time to live on {@code expiresAt}).
 */
public final class DynamoDbSweepState implements SweepState {

    static final String SWEEP = "SWEEP#";
    static final String BACKFILL = "BACKFILL";
    static final Duration KEPT = Duration.ofDays(14);

    private final LedgerTable table;

    public DynamoDbSweepState(LedgerTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    private static Map<String, AttributeValue> key(SweepRequest.Slice slice) {
        return LedgerTable.key(SWEEP + slice.sweepId(), slice.registry().account() + "#" + slice.registry().region());
    }

    @Override
    public Claim claim(SweepRequest.Slice slice, Instant now, Instant leaseUntil) {
        String target = "step " + slice.step() + " of sweep " + slice.sweepId() + " in " + slice.registry();
        GetItemResponse found = table.call("dynamodb:GetItem", target, () -> table.dynamo().getItem(request ->
                request.tableName(table.name()).key(key(slice)).consistentRead(true)));
        if (!found.hasItem() || found.item().isEmpty()) {
            if (slice.step() != 0) {
                return new Claim.Taken();
            }
            Map<String, AttributeValue> item = item(slice, Progress.start());
            item.put("leaseUntil", LedgerTable.millis(leaseUntil));
            item.put(LedgerTable.EXPIRES_AT, LedgerTable.number(slice.sweep().plus(KEPT).getEpochSecond()));
            boolean created = table.conditionally("dynamodb:PutItem", target, () -> table.dynamo().putItem(request ->
                    request.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)")));
            return created ? new Claim.Claimed(Progress.start()) : new Claim.Taken();
        }
        Map<String, AttributeValue> item = found.item();
        Progress progress = progress(item);
        boolean free = !item.containsKey("leaseUntil")
                || LedgerTable.requiredInstant(item, "leaseUntil").isBefore(now);
        if (progress.done()) {
            return new Claim.Finished(progress);
        }
        if (progress.step() == slice.step() + 1 && free) {
            return new Claim.HandedOn(progress);
        }
        if (progress.step() != slice.step() || !free) {
            return new Claim.Taken();
        }
        boolean claimed = table.conditionally("dynamodb:UpdateItem", target, () -> table.dynamo().updateItem(
                request -> request.tableName(table.name()).key(key(slice))
                        .updateExpression("SET #lease = :lease")
                        .conditionExpression("#step = :step AND (attribute_not_exists(#lease) OR #lease < :now)")
                        .expressionAttributeNames(Map.of("#lease", "leaseUntil", "#step", "step"))
                        .expressionAttributeValues(Map.of(":lease", LedgerTable.millis(leaseUntil),
                                ":step", LedgerTable.number(slice.step()), ":now", LedgerTable.millis(now)))));
        return claimed ? new Claim.Claimed(progress) : new Claim.Taken();
    }

    @Override
    public boolean advance(SweepRequest.Slice slice, Progress next) {
        // Every attribute by a placeholder name: several of them (step, done, read…) are DynamoDB reserved words.
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        StringBuilder update = new StringBuilder("SET ");
        item(slice, next).forEach((name, value) -> {
            if (!name.equals("pk") && !name.equals("sk")) {
                update.append(values.isEmpty() ? "" : ", ").append('#').append(name).append(" = :").append(name);
                values.put(":" + name, value);
                names.put("#" + name, name);
            }
        });
        values.put(":current", LedgerTable.number(slice.step()));
        names.put("#lease", "leaseUntil");
        update.append(" REMOVE #lease");
        return table.conditionally("dynamodb:UpdateItem", "step " + slice.step() + " of sweep " + slice.sweepId()
                + " in " + slice.registry(), () -> table.dynamo().updateItem(request -> request
                        .tableName(table.name()).key(key(slice))
                        .updateExpression(update.toString())
                        .conditionExpression("#step = :current")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)));
    }

    @Override
    public Optional<LedgerBackfill.Progress> backfill(AccountRegion registry) {
        GetItemResponse found = table.call("dynamodb:GetItem", "the backfill of " + registry, () ->
                table.dynamo().getItem(request -> request.tableName(table.name())
                        .key(LedgerTable.key(LedgerTable.registryKey(registry), BACKFILL)).consistentRead(true)));
        if (!found.hasItem() || found.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = found.item();
        return Optional.of(new LedgerBackfill.Progress(LedgerTable.requiredInstant(item, "windowFrom"),
                LedgerTable.requiredInstant(item, "windowTo"), LedgerTable.text(item, "nextToken"),
                flag(item, "done"), LedgerTable.requiredNumber(item, "read"),
                LedgerTable.requiredNumber(item, "recorded"), LedgerTable.requiredNumber(item, "unreadable")));
    }

    @Override
    public void recordBackfill(AccountRegion registry, LedgerBackfill.Progress progress) {
        Map<String, AttributeValue> item = LedgerTable.key(LedgerTable.registryKey(registry), BACKFILL);
        item.put("windowFrom", LedgerTable.millis(progress.from()));
        item.put("windowTo", LedgerTable.millis(progress.to()));
        progress.next().ifPresent(token -> item.put("nextToken", LedgerTable.text(token)));
        item.put("done", AttributeValue.fromBool(progress.done()));
        item.put("read", LedgerTable.number(progress.read()));
        item.put("recorded", LedgerTable.number(progress.recorded()));
        item.put("unreadable", LedgerTable.number(progress.unreadable()));
        table.call("dynamodb:PutItem", "the backfill of " + registry, () -> table.dynamo().putItem(request ->
                request.tableName(table.name()).item(item)));
    }

    private static Map<String, AttributeValue> item(SweepRequest.Slice slice, Progress progress) {
        Map<String, AttributeValue> item = new HashMap<>(key(slice));
        item.put("step", LedgerTable.number(progress.step()));
        item.put("repositoryCursor", LedgerTable.text(progress.cursor()));
        item.put("carriedOver", AttributeValue.fromL(progress.carriedOver().stream()
                .map(name -> LedgerTable.text(name.value())).toList()));
        item.put("judged", LedgerTable.number(progress.judged()));
        item.put("notJudged", LedgerTable.number(progress.notJudged()));
        item.put("atRisk", LedgerTable.number(progress.atRisk()));
        item.put("done", AttributeValue.fromBool(progress.done()));
        return item;
    }

    private static Progress progress(Map<String, AttributeValue> item) {
        long step = LedgerTable.requiredNumber(item, "step");
        return new Progress((int) Math.min(step, SweepRequest.Slice.MAX_STEPS + 1L),
                LedgerTable.text(item, "repositoryCursor").orElse(""),
                LedgerTable.texts(item, "carriedOver").stream().map(RepositoryName::of).toList(),
                LedgerTable.requiredNumber(item, "judged"), LedgerTable.requiredNumber(item, "notJudged"),
                LedgerTable.requiredNumber(item, "atRisk"), flag(item, "done"));
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }
}
