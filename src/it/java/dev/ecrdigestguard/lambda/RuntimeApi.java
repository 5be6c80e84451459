package dev.ecrdigestguard.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The Lambda Runtime API on 127.0.0.1, for a whole series of invocations: it hands the events out one at a time on
 * {@code GET /2018-06-01/runtime/invocation/next}, exactly as bytes, and records how each ended (the function's
 * response, or an invocation error with its type), the time it took, and how many calls the function made to the
 * local AWS meanwhile — read from {@code awsCalls} when the answer comes in.
 */
final class RuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    /** How one invocation ended. {@code kind} is {@code response}, {@code error <type>} or {@code init-error}. */
    record Answer(int index, String kind, String body, long millis, int awsCalls) { }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<byte[]> events;
    private final IntSupplier awsCalls;
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private int handedOut;
    private long startedAt;
    private int callsBefore;

    RuntimeApi(List<byte[]> events, IntSupplier awsCalls) throws IOException {
        this.events = List.copyOf(events);
        this.awsCalls = awsCalls;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next answer, in the order the events were handed out; null when none came within the timeout. */
    Answer nextAnswer(long timeout, TimeUnit unit) throws InterruptedException {
        return answers.poll(timeout, unit);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String route = exchange.getRequestURI().getPath();
            if (!route.startsWith(PREFIX)) {
                send(exchange, 404, "{\"errorMessage\":\"unknown path\"}");
                return;
            }
            route = route.substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && route.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && route.endsWith("/response")) {
                answered(exchange, "response");
            } else if (method.equals("POST") && route.endsWith("/error")) {
                answered(exchange, "error " + exchange.getRequestHeaders().getFirst(
                        "Lambda-Runtime-Function-Error-Type"));
            } else if (method.equals("POST") && route.equals("init/error")) {
                answered(exchange, "init-error");
            } else {
                send(exchange, 404, "{\"errorMessage\":\"unknown route\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        int index;
        synchronized (this) {
            index = handedOut++;
            startedAt = System.nanoTime();
            callsBefore = awsCalls.getAsInt();
        }
        if (index >= events.size()) {
            // The series is over: the runtime's loop waits here until the test ends.
            try {
                closed.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 500, "{\"errorMessage\":\"no more events\"}");
            return;
        }
        byte[] event = events.get(index);
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", "request-" + index);
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
        headers.add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:ecr-digest-guard:live");
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
        exchange.sendResponseHeaders(200, event.length == 0 ? -1 : event.length);
        exchange.getResponseBody().write(event);
    }

    private void answered(HttpExchange exchange, String kind) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        send(exchange, 202, "{\"status\":\"OK\"}");
        synchronized (this) {
            answers.add(new Answer(handedOut - 1, kind, body, (System.nanoTime() - startedAt) / 1_000_000,
                    awsCalls.getAsInt() - callsBefore));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
