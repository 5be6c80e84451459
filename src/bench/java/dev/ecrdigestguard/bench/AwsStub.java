package dev.ecrdigestguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * ECR and SNS as the SDK sees them through {@code AWS_ENDPOINT_URL}, on 127.0.0.1 only, answered from the recorded
 * repository in {@code events/snapshot}. It speaks just enough of each protocol for the guard's calls:
 * <ul>
 *   <li>ECR, JSON 1.1 ({@code X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>}): {@code DescribeImages} by
 *       image id or paged over the whole repository, {@code GetLifecyclePolicy} (not found, or the recorded policy);</li>
 *   <li>SNS, query protocol ({@code Action=Publish}): an XML {@code PublishResponse}.</li>
 * </ul>
 * Anything else gets a 400 the SDK turns into an exception, and is counted so the benchmark can say so.
 */
final class AwsStub implements AutoCloseable {

    private static final String ECR = "AmazonEC2ContainerRegistry_V20150921.";
    private static final Pattern ISO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ArrayNode images;
    private final JsonNode lifecyclePolicy;
    private volatile boolean servePolicy;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    AwsStub(Path snapshotDirectory) throws IOException {
        JsonNode describe = json.readTree(Files.readString(snapshotDirectory.resolve("describe-images.json")));
        this.images = toEpochSeconds((ArrayNode) describe.get("imageDetails"));
        Path policy = snapshotDirectory.resolve("lifecycle-policy.json");
        this.lifecyclePolicy = Files.exists(policy) ? toEpochSeconds(json.readTree(Files.readString(policy))) : null;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Whether {@code GetLifecyclePolicy} returns the recorded policy (true) or {@code LifecyclePolicyNotFound}. */
    void servePolicy(boolean serve) {
        this.servePolicy = serve;
    }

    /** Calls seen since the last reset, by operation, e.g. {@code {DescribeImages=1, Publish=1}}. */
    Map<String, Integer> takeCalls() {
        Map<String, Integer> seen = new LinkedHashMap<>();
        calls.forEach((operation, count) -> seen.put(operation, count.get()));
        calls.clear();
        return seen;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && target.startsWith(ECR)) {
                String operation = target.substring(ECR.length());
                count(operation);
                ecr(exchange, operation, json.readTree(body.length == 0 ? "{}".getBytes() : body));
                return;
            }
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            if ("Publish".equals(form.get("Action"))) {
                count("Publish");
                send(exchange, 200, "text/xml", "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        + "<PublishResult><MessageId>" + UUID.randomUUID() + "</MessageId></PublishResult>"
                        + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                        + "</PublishResponse>");
                return;
            }
            String unknown = target != null ? target : "Action=" + form.getOrDefault("Action", "?");
            count("UNSUPPORTED " + unknown);
            ecrError(exchange, "UnknownOperationException", "the benchmark stub does not answer " + unknown);
        }
    }

    private void ecr(HttpExchange exchange, String operation, JsonNode request) throws IOException {
        switch (operation) {
            case "DescribeImages" -> describeImages(exchange, request);
            case "GetLifecyclePolicy" -> {
                if (servePolicy && lifecyclePolicy != null) {
                    send(exchange, 200, "application/x-amz-json-1.1", json.writeValueAsString(lifecyclePolicy));
                } else {
                    ecrError(exchange, "LifecyclePolicyNotFoundException",
                            "Lifecycle policy does not exist for the repository with name '"
                                    + request.path("repositoryName").asText() + "' in the registry with id "
                                    + "'123456789012'");
                }
            }
            default -> ecrError(exchange, "UnknownOperationException", "the benchmark stub does not answer "
                    + operation);
        }
    }

    private void describeImages(HttpExchange exchange, JsonNode request) throws IOException {
        String repository = request.path("repositoryName").asText();
        ObjectNode response = json.createObjectNode();
        ArrayNode details = response.putArray("imageDetails");
        JsonNode ids = request.get("imageIds");
        if (ids != null && ids.size() > 0) {
            for (JsonNode id : ids) {
                for (JsonNode image : images) {
                    boolean digest = id.has("imageDigest")
                            && id.get("imageDigest").asText().equals(image.path("imageDigest").asText());
                    boolean tag = id.has("imageTag") && contains(image.get("imageTags"), id.get("imageTag").asText());
                    if ((digest || tag) && repository.equals(image.path("repositoryName").asText())) {
                        details.add(image);
                    }
                }
            }
            if (details.isEmpty()) {
                ecrError(exchange, "ImageNotFoundException", "The image requested does not exist in the "
                        + "specified repository.");
                return;
            }
        } else {
            // A paged listing: pages of maxResults, the token is the index of the next image.
            int start = request.hasNonNull("nextToken") ? Integer.parseInt(request.get("nextToken").asText()) : 0;
            int size = request.path("maxResults").asInt(100);
            int end = Math.min(images.size(), start + size);
            for (int i = start; i < end; i++) {
                if (repository.equals(images.get(i).path("repositoryName").asText())) {
                    details.add(images.get(i));
                }
            }
            if (end < images.size()) {
                response.put("nextToken", Integer.toString(end));
            }
        }
        send(exchange, 200, "application/x-amz-json-1.1", json.writeValueAsString(response));
    }

    private static boolean contains(JsonNode array, String value) {
        if (array == null) {
            return false;
        }
        for (JsonNode element : array) {
            if (element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private void ecrError(HttpExchange exchange, String type, String message) throws IOException {
        ObjectNode error = json.createObjectNode().put("__type", type).put("message", message);
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        send(exchange, 400, "application/x-amz-json-1.1", json.writeValueAsString(error));
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    /** The snapshot holds timestamps as the CLI prints them; the JSON 1.1 wire format carries epoch seconds. */
    private static <T extends JsonNode> T toEpochSeconds(T node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual() && ISO_TIME.matcher(value.asText()).matches()) {
                    try {
                        OffsetDateTime time = OffsetDateTime.parse(value.asText());
                        field.setValue(object.numberNode(time.toEpochSecond() + time.getNano() / 1e9));
                    } catch (DateTimeParseException e) {
                        // Not a timestamp after all: leave it as text.
                    }
                } else {
                    toEpochSeconds(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(AwsStub::toEpochSeconds);
        }
        return node;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
