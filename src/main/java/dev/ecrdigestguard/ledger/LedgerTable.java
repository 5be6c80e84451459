package dev.ecrdigestguard.ledger;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.AccountRegion;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The function's one DynamoDB table (template.yaml's {@code LedgerTable}): the release ledger, the register of
 * releases alerted about as at risk, and the sweep's checkpoints, each kind under a key prefix of its own.
 *
 * <pre>
 * pk                                       sk                          what
 * REPO#&lt;account&gt;#&lt;region&gt;#&lt;repository&gt;  RELEASE#&lt;tag&gt;               a release: digest, firstSeen
 * REPO#&lt;account&gt;#&lt;region&gt;#&lt;repository&gt;  RISK#&lt;digest&gt;#&lt;rule&gt;       a release at risk, and when it was alerted
 * REGISTRY#&lt;account&gt;#&lt;region&gt;            BACKFILL                    how far the CloudTrail backfill got
 * SWEEP#&lt;sweep&gt;                            &lt;account&gt;#&lt;region&gt;          one registry's part of a sweep: step, cursor
 * </pre>
 *
 * One query reads everything the guard keeps about a repository. Times are numbers (milliseconds since the epoch), so
 * conditions compare them as numbers; each release also carries its time as ISO-8601 text for people reading the
 * table. Repository names, tags and digests can't contain {@code #}, so the keys can't collide.
 */
public final class LedgerTable {

    /** At most this many pages per query: a table answering with endless pages is a fault, not a big repository. */
    static final int PAGE_LIMIT = 10_000;
    /** The attribute DynamoDB's time to live reads: checkpoints of finished sweeps go by themselves. */
    static final String EXPIRES_AT = "expiresAt";
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final Supplier<DynamoDbClient> client;
    private final String table;
    private volatile DynamoDbClient dynamo;

    public LedgerTable(DynamoDbClient dynamo, String table) {
        this(() -> dynamo, table);
        Objects.requireNonNull(dynamo, "dynamo");
    }

    /**
     * @param client builds the client on the table's first use: a push of a non-production tag, and an
     *               execution environment that never sees a production push, build none
     */
    public LedgerTable(Supplier<DynamoDbClient> client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table name '" + table + "' is not a DynamoDB table name (3 to 255"
                    + " letters, digits, '_', '-' and '.')");
        }
        this.table = table;
    }

    /** The table's failures in the guard's terms, retryable when another try can help. */
    public static final class LedgerTableException extends ServiceFailure {
        LedgerTableException(String message, boolean retryable, Throwable cause) {
            super(message, retryable, cause);
        }
    }

    public String name() {
        return table;
    }

    DynamoDbClient dynamo() {
        DynamoDbClient built = dynamo;
        if (built == null) {
            synchronized (this) {
                if (dynamo == null) {
                    dynamo = client.get();
                }
                built = dynamo;
            }
        }
        return built;
    }

    static String repositoryKey(RepositoryLocation location) {
        if (location.account().isEmpty() || location.region().isEmpty()) {
            throw new IllegalArgumentException("the ledger table keys releases by account and region, and "
                    + location + " lacks one");
        }
        return "REPO#" + location.account() + "#" + location.region() + "#" + location.name().value();
    }

    static String registryKey(AccountRegion registry) {
        return "REGISTRY#" + registry.account() + "#" + registry.region();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put("pk", text(pk));
        key.put("sk", text(sk));
        return key;
    }

    static AttributeValue text(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue millis(Instant instant) {
        return number(instant.toEpochMilli());
    }

    static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? Optional.empty() : Optional.of(value.s());
    }

    static String requiredText(Map<String, AttributeValue> item, String name) {
        return text(item, name).orElseThrow(() -> new IllegalArgumentException(name + " is missing"));
    }

    static long requiredNumber(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw new IllegalArgumentException(name + " is missing or not a number");
        }
        try {
            return Long.parseLong(value.n());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is " + value.n() + ", not a whole number");
        }
    }

    static Instant requiredInstant(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(requiredNumber(item, name));
    }

    static List<String> texts(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || !value.hasL()) {
            throw new IllegalArgumentException(name + " is missing or not a list");
        }
        return value.l().stream().map(AttributeValue::s).map(s -> {
            if (s == null) {
                throw new IllegalArgumentException(name + " holds something other than text");
            }
            return s;
        }).toList();
    }

    /**
     * Every item under {@code pk} whose sort key starts with {@code prefix}, page by page, read consistently (the
     * push path reads right after it writes).
     */
    void query(String pk, String prefix, Consumer<Map<String, AttributeValue>> items) {
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = call("dynamodb:Query", "items " + pk, () -> dynamo().query(request -> request
                    .tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", text(pk), ":prefix", text(prefix)))
                    .consistentRead(true)
                    .exclusiveStartKey(from)));
            page.items().forEach(items);
            Map<String, AttributeValue> next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
            if (next != null && next.equals(start)) {
                throw new LedgerTableException("dynamodb:Query on table " + table + " answered the same page twice"
                        + " for " + pk + "; giving up rather than reading forever", true, null);
            }
            if (++pages > PAGE_LIMIT) {
                throw new LedgerTableException("dynamodb:Query on table " + table + " gave more than " + PAGE_LIMIT
                        + " pages for " + pk + "; giving up", false, null);
            }
            start = next;
        } while (start != null);
    }

    /** A write whose condition may fail: true when it was made, false when the condition said no. */
    boolean conditionally(String action, String target, Runnable write) {
        try {
            call(action, target, () -> {
                write.run();
                return null;
            });
            return true;
        } catch (LedgerTableException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    /** Runs a call, turning the SDK's failures into the ledger's (a failed condition keeps its cause). */
    <T> T call(String action, String target, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException e) {
            throw new LedgerTableException(action + " on " + target + ": condition not met", false, e);
        } catch (SdkException e) {
            throw new LedgerTableException(AwsFailures.describe(action, target + " in table " + table, e),
                    AwsFailures.retryable(e), e);
        }
    }
}
