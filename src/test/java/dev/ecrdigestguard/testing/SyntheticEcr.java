package dev.ecrdigestguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.http.HttpHeader.httpHeader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An ECR API of many generated repositories, for the real SDK client (JSON 1.1 over HTTP, reached through
 * {@code aws.endpointUrlEcr}): {@code DescribeRepositories} and {@code DescribeImages} paged by {@code maxResults} and
 * {@code nextToken} as ECR pages them, {@code GetLifecyclePolicy} with one policy for every repository (or
 * {@code LifecyclePolicyNotFoundException}). Two faults ECR has and a local server lacks can be injected:
 * <ul>
 *   <li>a latency on every answer (WireMock holds the response), so round trips, not CPU, dominate as they do
 *       against a real Region;</li>
 *   <li>throttling, answered {@code ThrottlingException} (HTTP 400) as ECR answers it: calls beyond a request rate
 *       (a token bucket across all operations, as ECR throttles an account); the first calls about repositories,
 *       whatever their pace (an account already busy when the scan starts: the same throttling on a fast or a
 *       loaded machine); every call about the repositories named "always throttled".</li>
 * </ul>
 * Pages are serialised once and kept, so the server's own work stays small next to the client's.
 */
public final class SyntheticEcr implements AutoCloseable {

    private static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.";
    private static final String JSON_1_1 = "application/x-amz-json-1.1";
    private static final JsonFactory JSON = new JsonFactory();

    private final List<String> repositories;
    private final Function<String, List<ImageRecord>> images;
    private final Optional<String> policy;
    private final Duration latency;
    private final Optional<TokenBucket> rate;
    private final Set<String> alwaysThrottled;
    private final AtomicInteger throttleFirst;
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
    private final Map<String, List<ImageRecord>> imagesByRepository = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callsByRepository = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final WireMockServer server;

    private SyntheticEcr(Builder builder) {
        this.repositories = List.copyOf(builder.repositories);
        this.images = builder.images;
        this.policy = builder.policy;
        this.latency = builder.latency;
        this.rate = builder.ratePerSecond > 0
                ? Optional.of(new TokenBucket(builder.ratePerSecond, builder.burst)) : Optional.empty();
        this.alwaysThrottled = Set.copyOf(builder.alwaysThrottled);
        this.throttleFirst = new AtomicInteger(builder.throttleFirst);
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(builder.threads).disableRequestJournal().gzipDisabled(true).extensions(new Answers()));
        server.start();
        ResponseDefinitionBuilder held = aResponse().withStatus(200).withTransformers(Answers.NAME);
        server.stubFor(any(anyUrl()).willReturn(latency.isZero() ? held : held.withFixedDelay((int) latency.toMillis())));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private List<String> repositories = List.of();
        private Function<String, List<ImageRecord>> images = repository -> List.of();
        private Optional<String> policy = Optional.empty();
        private Duration latency = Duration.ZERO;
        private double ratePerSecond;
        private int burst;
        private Set<String> alwaysThrottled = Set.of();
        private int throttleFirst;
        private int threads = 64;

        public Builder repositories(List<String> names, Function<String, List<ImageRecord>> imagesOf) {
            this.repositories = names;
            this.images = imagesOf;
            return this;
        }

        public Builder lifecyclePolicy(String text) {
            this.policy = Optional.of(text);
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** At most {@code perSecond} calls a second, after a burst of {@code burst}; the rest are throttled. */
        public Builder rate(double perSecond, int burst) {
            this.ratePerSecond = perSecond;
            this.burst = burst;
            return this;
        }

        /** Throttles the first {@code calls} calls about a repository ({@code DescribeImages}, {@code GetLifecyclePolicy}). */
        public Builder throttleFirst(int calls) {
            this.throttleFirst = calls;
            return this;
        }

        public Builder alwaysThrottled(Set<String> repositories) {
            this.alwaysThrottled = repositories;
            return this;
        }

        /** Requests served at once; each held answer occupies one. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public SyntheticEcr start() {
            return new SyntheticEcr(this);
        }
    }

    public String endpoint() {
        return server.baseUrl();
    }

    /** Calls answered so far (throttled ones included), by operation, in name order. */
    public Map<String, Integer> calls() {
        Map<String, Integer> counts = new TreeMap<>();
        calls.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Calls about one repository, throttled ones included. */
    public int callsAbout(String repository) {
        return callsByRepository.getOrDefault(repository, new AtomicInteger()).get();
    }

    public int throttled() {
        return throttled.get();
    }

    public void resetCounts() {
        calls.clear();
        callsByRepository.clear();
        throttled.set(0);
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * Sets the answer on the response WireMock has prepared (which carries the latency). A response transformer, not a
     * response-definition one: WireMock renders a response definition as JSON text for its log on every request,
     * which for a 150 KB page cost the server more CPU than the client's whole audit.
     */
    private final class Answers implements ResponseTransformerV2 {
        static final String NAME = "synthetic-ecr";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public Response transform(Response prepared, ServeEvent event) {
            String target = event.getRequest().getHeader("X-Amz-Target");
            String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(operation, key -> new AtomicInteger()).incrementAndGet();
            JsonNode request = readTree(event.getRequest().getBodyAsString());
            String repository = request.path("repositoryName").asText("");
            if (!repository.isEmpty()) {
                callsByRepository.computeIfAbsent(repository, key -> new AtomicInteger()).incrementAndGet();
            }
            boolean busy = !repository.isEmpty() && throttleFirst.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
            if (busy || alwaysThrottled.contains(repository) || rate.filter(bucket -> !bucket.take()).isPresent()) {
                throttled.incrementAndGet();
                return error(prepared, "ThrottlingException", "Rate exceeded");
            }
            return switch (operation) {
                case "DescribeRepositories" -> answer(prepared, describeRepositories(request));
                case "DescribeImages" -> answer(prepared, describeImages(repository, request));
                case "GetLifecyclePolicy" -> policy.isPresent()
                        ? answer(prepared, json(out -> {
                            out.writeStringField("registryId", "123456789012");
                            out.writeStringField("repositoryName", repository);
                            out.writeStringField("lifecyclePolicyText", policy.get());
                        }))
                        : error(prepared, "LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for "
                                + "the repository with name '" + repository + "' in the registry with id "
                                + "'123456789012'");
                default -> error(prepared, "UnknownOperationException", "the synthetic ECR does not answer " + target);
            };
        }

        private Response answer(Response prepared, byte[] body) {
            return Response.Builder.like(prepared).but().status(200)
                    .headers(new HttpHeaders(httpHeader("Content-Type", JSON_1_1))).body(body).build();
        }

        private Response error(Response prepared, String type, String message) {
            return Response.Builder.like(prepared).but().status(400)
                    .headers(new HttpHeaders(httpHeader("Content-Type", JSON_1_1), httpHeader("x-amzn-ErrorType", type)))
                    .body("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").build();
        }
    }

    private byte[] describeRepositories(JsonNode request) {
        int start = request.hasNonNull("nextToken") ? Integer.parseInt(request.get("nextToken").asText()) : 0;
        int end = Math.min(repositories.size(), start + request.path("maxResults").asInt(100));
        return json(out -> {
            out.writeArrayFieldStart("repositories");
            for (String name : repositories.subList(start, end)) {
                out.writeStartObject();
                out.writeStringField("repositoryName", name);
                out.writeStringField("registryId", "123456789012");
                out.writeStringField("repositoryArn", "arn:aws:ecr:eu-west-1:123456789012:repository/" + name);
                out.writeEndObject();
            }
            out.writeEndArray();
            if (end < repositories.size()) {
                out.writeStringField("nextToken", Integer.toString(end));
            }
        });
    }

    private byte[] describeImages(String repository, JsonNode request) {
        int start = request.hasNonNull("nextToken") ? Integer.parseInt(request.get("nextToken").asText()) : 0;
        int size = request.path("maxResults").asInt(100);
        return pages.computeIfAbsent(repository + "@" + start + "+" + size, key -> {
            List<ImageRecord> all = imagesByRepository.computeIfAbsent(repository, images);
            int end = Math.min(all.size(), start + size);
            return json(out -> {
                out.writeArrayFieldStart("imageDetails");
                for (ImageRecord image : all.subList(Math.min(start, end), end)) {
                    writeImage(out, repository, image);
                }
                out.writeEndArray();
                if (end < all.size()) {
                    out.writeStringField("nextToken", Integer.toString(end));
                }
            });
        });
    }

    /** One {@code imageDetails} entry as ECR's JSON 1.1 answer carries it: timestamps in epoch seconds. */
    private static void writeImage(JsonGenerator out, String repository, ImageRecord image) throws IOException {
        out.writeStartObject();
        out.writeStringField("registryId", "123456789012");
        out.writeStringField("repositoryName", repository);
        out.writeStringField("imageDigest", image.digest().value());
        if (image.isTagged()) {
            out.writeArrayFieldStart("imageTags");
            for (Tag tag : image.tags()) {
                out.writeString(tag.value());
            }
            out.writeEndArray();
        }
        out.writeNumberField("imageSizeInBytes", 52_345_678L);
        writeTime(out, "imagePushedAt", image.pushedAt());
        if (image.lastPulledAt().isPresent()) {
            writeTime(out, "lastRecordedPullTime", image.lastPulledAt().get());
        }
        if (image.manifestMediaType().isPresent()) {
            out.writeStringField("imageManifestMediaType", image.manifestMediaType().get());
        }
        out.writeStringField("imageStatus",
                image.storageClass() == ImageRecord.StorageClass.ARCHIVE ? "ARCHIVED" : "ACTIVE");
        if (image.lastArchivedAt().isPresent()) {
            writeTime(out, "lastArchivedAt", image.lastArchivedAt().get());
        }
        out.writeEndObject();
    }

    private static void writeTime(JsonGenerator out, String field, Instant time) throws IOException {
        out.writeFieldName(field);
        out.writeNumber(time.getEpochSecond() + time.getNano() / 1e9);
    }

    private static JsonNode readTree(String body) {
        try {
            return Json.mapper().readTree(body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Fields {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] json(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            fields.write(out);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** ECR's throttling as a token bucket: {@code perSecond} tokens a second, at most {@code burst} saved up. */
    private static final class TokenBucket {
        private final double perSecond;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double perSecond, int burst) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
