package dev.ecrdigestguard.ledger;

import dev.ecrdigestguard.guard.LedgerEntry;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.log.Log;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The release ledger in the function's DynamoDB table ({@link LedgerTable}): one item per repository and production
 * tag, keyed by account, region and repository, so one table serves every registry of an organization.
 *
 * <p>Recording is one conditional {@code UpdateItem}, so duplicated, retried and out-of-order events (CloudTrail's
 * backfill reads newest first) all land on the same answer without a read: the earliest time is kept for the same
 * tag and digest, and a tag seen on another digest is a new release from then — unless that sighting is older than
 * the one recorded, in which case it is an old event of a tag that has moved on since.
 */
public final class DynamoDbLedger implements ReleaseLedger {

    static final String RELEASE = "RELEASE#";

    private final LedgerTable table;

    public DynamoDbLedger(LedgerTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public List<LedgerEntry> releases(RepositoryLocation repository) {
        List<LedgerEntry> releases = new ArrayList<>();
        table.query(LedgerTable.repositoryKey(repository), RELEASE, item -> {
            try {
                releases.add(new LedgerEntry(Tag.of(LedgerTable.requiredText(item, "tag")),
                        Digest.of(LedgerTable.requiredText(item, "digest")),
                        LedgerTable.requiredInstant(item, "firstSeen")));
            } catch (IllegalArgumentException e) {
                // One damaged item must not stop every push of the repository: it only loses that release's time.
                Log.warn("ledger item skipped: " + e.getMessage(), "table", table.name(), "sk",
                        LedgerTable.text(item, "sk").orElse(""));
            }
        });
        return releases;
    }

    @Override
    public void recordPush(RepositoryLocation repository, Tag tag, Digest digest, Instant seenAt) {
        Map<String, AttributeValue> key = LedgerTable.key(LedgerTable.repositoryKey(repository), RELEASE + tag.value());
        table.conditionally("dynamodb:UpdateItem", "release " + tag + " of " + repository, () ->
                table.dynamo().updateItem(request -> request
                        .tableName(table.name())
                        .key(key)
                        .updateExpression("SET #tag = :tag, #digest = :digest, #firstSeen = :seen,"
                                + " #firstSeenAt = :seenAt")
                        .conditionExpression("attribute_not_exists(pk)"
                                + " OR (#digest = :digest AND #firstSeen > :seen)"
                                + " OR (#digest <> :digest AND #firstSeen < :seen)")
                        .expressionAttributeNames(Map.of("#tag", "tag", "#digest", "digest",
                                "#firstSeen", "firstSeen", "#firstSeenAt", "firstSeenAt"))
                        .expressionAttributeValues(Map.of(
                                ":tag", LedgerTable.text(tag.value()),
                                ":digest", LedgerTable.text(digest.value()),
                                ":seen", LedgerTable.millis(seenAt),
                                ":seenAt", LedgerTable.text(seenAt.toString())))));
    }
}
