package dev.ecrdigestguard.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Malformed and edge-case events, each with what the guard must make of it: wrong types in every field it reads, JSON
 * {@code null} in each, huge values, unicode and control characters, duplicate keys, deep nesting, bodies far larger
 * than EventBridge sends, SQS/SNS and other envelopes, other sources, broken JSON, and times outside the supported
 * range. The unit suites hand them to the handler and to {@code check}; the integration suite hands them to the
 * handler inside the real Lambda runtime interface client.
 *
 * <p>Every case starts from the sample collision ({@code events/push-collision.json}: {@code tag-1-253-0} on the
 * digest of {@code tag-1-252-0} in {@code shop-api}), so a case that survives the reading is a real push the guard
 * must alert on, with production tag patterns {@code tag-*}.
 */
public final class HostileEvents {

    /** What the guard must make of a case. */
    public enum Expect {
        /** Not an event: logged as an error, no AWS call, never retried; {@code check} exits 2. */
        MALFORMED,
        /** Someone else's event: logged, no AWS call; {@code check} says so and exits 0. */
        IGNORED,
        /** A push of a tag that isn't production: no AWS call; {@code check} says so and exits 0. */
        NOT_PRODUCTION,
        /** The collision push itself, read correctly despite its oddity: the alert goes out. */
        ALERTED
    }

    public record Case(String name, byte[] body, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The fields the reader uses, with where they live. */
    static final List<String> READ_FIELDS = List.of("id", "source", "detail-type", "time", "account", "region",
            "detail.action-type", "detail.result", "detail.image-tag", "detail.repository-name", "detail.image-digest",
            "detail.manifest-media-type", "detail.artifact-media-type");

    private static final String HUGE = "x".repeat(512 * 1024);

    private final List<Case> cases = new ArrayList<>();

    private HostileEvents() {
    }

    /** Every case, in a fixed order. */
    public static List<Case> all() {
        HostileEvents events = new HostileEvents();
        events.wrongTypes();
        events.nulls();
        events.hugeValues();
        events.unicodeAndControlCharacters();
        events.duplicateKeys();
        events.nesting();
        events.sizes();
        events.envelopes();
        events.otherSources();
        events.brokenJson();
        events.times();
        events.notProduction();
        return List.copyOf(events.cases);
    }

    private void add(String name, String json, Expect expect) {
        add(name, json.getBytes(StandardCharsets.UTF_8), expect);
    }

    private void add(String name, byte[] body, Expect expect) {
        cases.add(new Case(name, body, expect));
    }

    // ---- the cases

    private void wrongTypes() {
        for (String field : READ_FIELDS) {
            for (String raw : List.of("42", "true", "[\"tag-1-253-0\"]", "{\"value\":\"x\"}")) {
                add(field + " = " + raw, with(field, raw), Expect.MALFORMED);
            }
        }
    }

    private void nulls() {
        Map<String, Expect> whenNull = new LinkedHashMap<>();
        whenNull.put("id", Expect.ALERTED);
        whenNull.put("source", Expect.MALFORMED);
        whenNull.put("detail-type", Expect.MALFORMED);
        whenNull.put("time", Expect.MALFORMED);
        // The account and region choose the credentials and client the repository is read with (many accounts).
        whenNull.put("account", Expect.MALFORMED);
        whenNull.put("region", Expect.MALFORMED);
        whenNull.put("detail.action-type", Expect.MALFORMED);
        whenNull.put("detail.result", Expect.MALFORMED);
        whenNull.put("detail.image-tag", Expect.IGNORED);
        whenNull.put("detail.repository-name", Expect.MALFORMED);
        whenNull.put("detail.image-digest", Expect.MALFORMED);
        whenNull.put("detail.manifest-media-type", Expect.ALERTED);
        whenNull.put("detail.artifact-media-type", Expect.ALERTED);
        whenNull.forEach((field, expect) -> add(field + " = null", with(field, "null"), expect));
    }

    private void hugeValues() {
        Map<String, Expect> whenHuge = new LinkedHashMap<>();
        whenHuge.put("id", Expect.MALFORMED);
        whenHuge.put("source", Expect.IGNORED);
        whenHuge.put("detail-type", Expect.IGNORED);
        whenHuge.put("time", Expect.MALFORMED);
        whenHuge.put("account", Expect.MALFORMED);
        whenHuge.put("region", Expect.MALFORMED);
        whenHuge.put("detail.action-type", Expect.IGNORED);
        whenHuge.put("detail.result", Expect.IGNORED);
        whenHuge.put("detail.image-tag", Expect.MALFORMED);
        whenHuge.put("detail.repository-name", Expect.MALFORMED);
        whenHuge.put("detail.image-digest", Expect.MALFORMED);
        whenHuge.put("detail.manifest-media-type", Expect.MALFORMED);
        whenHuge.put("detail.artifact-media-type", Expect.MALFORMED);
        whenHuge.forEach((field, expect) -> add(field + " = 512 KB", with(field, quoted("tag-" + HUGE)), expect));
    }

    private void unicodeAndControlCharacters() {
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("umlaut", "\u00fc");
        odd.put("right-to-left override", "\u202e");
        odd.put("zero width space", "\u200b");
        odd.put("carriage return", "\\r");
        odd.put("ANSI clear screen", "\\u001b[2J");
        odd.put("NUL", "\\u0000");
        odd.put("line separator", "\u2028");
        odd.put("emoji", "\uD83D\uDE80");
        odd.put("lone surrogate", "\\ud800");
        odd.forEach((name, text) -> {
            add("image-tag with " + name, with("detail.image-tag", quoted("tag-1-253-0" + text)), Expect.MALFORMED);
            add("repository-name with " + name, with("detail.repository-name", quoted("shop-api" + text)),
                    Expect.MALFORMED);
        });
        add("id with an ANSI escape", with("id", quoted("\\u001b[31mred")), Expect.MALFORMED);
        add("id with a newline", with("id", quoted("a\\nb")), Expect.MALFORMED);
        add("time with a NUL", with("time", quoted("2022-12-22T09:41:12Z\\u0000")), Expect.MALFORMED);
        add("source with a NUL", with("source", quoted("aws.ecr\\u0000")), Expect.IGNORED);
        add("unicode in an unknown field", with("resources", "[\"\u00fc\uD83D\uDE80\u202e\"]"), Expect.ALERTED);
    }

    private void duplicateKeys() {
        add("image-tag twice", with("detail.image-tag", "\"git-1\",\"image-tag\":\"tag-1-253-0\""), Expect.MALFORMED);
        add("source twice", with("source", "\"aws.s3\",\"source\":\"aws.ecr\""), Expect.MALFORMED);
        add("detail twice", with("region", "\"eu-west-1\",\"detail\":{\"image-tag\":\"x\"}"), Expect.MALFORMED);
        add("a key twice in an unknown field", with("resources", "[{\"a\":1,\"a\":2}]"), Expect.MALFORMED);
    }

    private void nesting() {
        add("32 levels of nesting in an unknown field", with("resources", "[".repeat(32) + "]".repeat(32)),
                Expect.ALERTED);
        add("100 levels of nesting", with("resources", "[".repeat(100) + "]".repeat(100)), Expect.MALFORMED);
        add("100,000 levels of nesting", with("resources", "[".repeat(100_000) + "]".repeat(100_000)),
                Expect.MALFORMED);
    }

    private void sizes() {
        add("10 MB body", with("resources", "[" + quoted("y".repeat(10 * 1024 * 1024)) + "]"), Expect.MALFORMED);
        add("just over 1 MB", with("resources", "[" + quoted("y".repeat(1024 * 1024)) + "]"), Expect.MALFORMED);
        add("900 KB in an unknown field", with("resources", "[" + quoted("y".repeat(900 * 1024)) + "]"),
                Expect.ALERTED);
    }

    private void envelopes() {
        String event = base().replace("\\", "\\\\").replace("\"", "\\\"");
        add("SQS batch around the event", "{\"Records\":[{\"messageId\":\"m1\",\"receiptHandle\":\"r\",\"body\":\""
                + event + "\",\"eventSource\":\"aws:sqs\",\"awsRegion\":\"eu-west-1\"}]}", Expect.MALFORMED);
        add("SNS record around the event", "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Type\":"
                + "\"Notification\",\"MessageId\":\"m1\",\"Message\":\"" + event + "\"}}]}", Expect.MALFORMED);
        add("SNS HTTP notification", "{\"Type\":\"Notification\",\"MessageId\":\"m1\",\"TopicArn\":\"arn:aws:sns:"
                + "eu-west-1:123456789012:t\",\"Message\":\"" + event + "\"}", Expect.MALFORMED);
        add("API Gateway proxy request", "{\"httpMethod\":\"POST\",\"path\":\"/\",\"headers\":{},\"body\":\""
                + event + "\",\"isBase64Encoded\":false}", Expect.MALFORMED);
        add("Kinesis batch", "{\"Records\":[{\"kinesis\":{\"data\":\"eyJ9\"},\"eventSource\":\"aws:kinesis\"}]}",
                Expect.MALFORMED);
        add("S3 notification", "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\"}]}",
                Expect.MALFORMED);
        add("CloudWatch Logs subscription", "{\"awslogs\":{\"data\":\"H4sIAAAAAAAA\"}}", Expect.MALFORMED);
    }

    private void otherSources() {
        add("S3 object created", with("source", "\"aws.s3\"").replace("ECR Image Action", "Object Created"),
                Expect.IGNORED);
        add("scheduled event", with("source", "\"aws.events\"").replace("ECR Image Action", "Scheduled Event"),
                Expect.IGNORED);
        add("custom source", with("source", "\"com.example.app\""), Expect.IGNORED);
        add("ECR image scan", with("detail-type", "\"ECR Image Scan\""), Expect.IGNORED);
        add("ECR replication", with("detail-type", "\"ECR Replication Action\""), Expect.IGNORED);
        add("ECR pull-through cache", with("detail-type", "\"ECR Pull Through Cache Action\""), Expect.IGNORED);
        // A deletion of a production tag is the post-mortem's (it reads the guard's own table); of another tag, nothing.
        add("ECR delete of a non-production tag", with("detail.action-type", "\"DELETE\"")
                .replace("\"tag-1-253-0\"", "\"git-684254dd\""), Expect.NOT_PRODUCTION);
        add("ECR failed push", with("detail.result", "\"FAILED\""), Expect.IGNORED);
        add("source in lower case detail-type", with("detail-type", "\"ecr image action\""), Expect.IGNORED);
    }

    private void brokenJson() {
        for (String body : List.of("", "   \n", "null", "[]", "42", "\"aws.ecr\"", "true")) {
            add("body '" + body.replace("\n", "\\n") + "'", body, Expect.MALFORMED);
        }
        String event = base();
        add("truncated event", event.substring(0, event.length() / 2), Expect.MALFORMED);
        add("two events one after the other", event + event, Expect.MALFORMED);
        add("garbage after the event", event + " garbage", Expect.MALFORMED);
        add("a comment", event.replace("{\"version\"", "{/* hi */\"version\""), Expect.MALFORMED);
        add("single quotes", event.replace("\"version\":\"0\"", "'version':'0'"), Expect.MALFORMED);
        add("NaN", with("resources", "[NaN]"), Expect.MALFORMED);
        add("an unquoted key", event.replace("\"version\"", "version"), Expect.MALFORMED);
        byte[] bom = ("\uFEFF" + event).getBytes(StandardCharsets.UTF_8);
        add("UTF-8 byte-order mark", bom, Expect.ALERTED);
        add("UTF-16 with a byte-order mark", event.getBytes(StandardCharsets.UTF_16), Expect.ALERTED);
        byte[] invalid = event.replace("eu-west-1", "eu-west-@").getBytes(StandardCharsets.UTF_8);
        invalid[new String(invalid, StandardCharsets.UTF_8).indexOf('@')] = (byte) 0xC3;
        add("invalid UTF-8", invalid, Expect.MALFORMED);
    }

    private void times() {
        for (String time : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z", "2022-12-22T09:41:12", "2022-12-22 09:41:12Z", "")) {
            add("time '" + time + "'", with("time", quoted(time)), Expect.MALFORMED);
        }
        add("time with an offset", with("time", quoted("2022-12-22T10:41:12+01:00")), Expect.ALERTED);
    }

    private void notProduction() {
        add("non-production tag without an id", with("detail.image-tag", "\"git-325dc21f\"")
                .replace("\"id\":\"0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b\"", "\"id\":null"), Expect.NOT_PRODUCTION);
        add("production pattern in the wrong case", with("detail.image-tag", "\"TAG-1-253-0\""),
                Expect.NOT_PRODUCTION);
    }

    // ---- building events

    /** The sample collision, compact. */
    public static String base() {
        return with("version", "\"0\"");
    }

    /**
     * The collision push with one field (of the envelope, or {@code detail.<field>}) replaced by raw JSON, which may
     * carry further members after the value (for duplicate keys), or removed when {@code rawJson} is null.
     */
    public static String with(String field, String rawJson) {
        Map<String, String> envelope = new LinkedHashMap<>();
        envelope.put("version", "\"0\"");
        envelope.put("id", "\"0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b\"");
        envelope.put("detail-type", "\"ECR Image Action\"");
        envelope.put("source", "\"aws.ecr\"");
        envelope.put("account", "\"123456789012\"");
        envelope.put("time", "\"2022-12-22T09:41:12Z\"");
        envelope.put("region", "\"eu-west-1\"");
        envelope.put("resources", "[]");
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("result", "\"SUCCESS\"");
        detail.put("repository-name", "\"shop-api\"");
        detail.put("image-digest", "\"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c\"");
        detail.put("action-type", "\"PUSH\"");
        detail.put("image-tag", "\"tag-1-253-0\"");
        detail.put("manifest-media-type", "\"application/vnd.docker.distribution.manifest.v2+json\"");
        detail.put("artifact-media-type", "\"application/vnd.docker.container.image.v1+json\"");
        Map<String, String> target = field.startsWith("detail.") ? detail : envelope;
        String name = field.startsWith("detail.") ? field.substring("detail.".length()) : field;
        if (rawJson == null) {
            target.remove(name);
        } else {
            target.put(name, rawJson);
        }
        StringBuilder json = new StringBuilder("{");
        envelope.forEach((key, value) -> json.append('"').append(key).append("\":").append(value).append(','));
        json.append("\"detail\":{");
        json.append(String.join(",", detail.entrySet().stream()
                .map(entry -> "\"" + entry.getKey() + "\":" + entry.getValue()).toList()));
        return json.append("}}").toString();
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
