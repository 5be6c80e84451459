package dev.ecrdigestguard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The Lambda Runtime API for one cold start, on 127.0.0.1: it hands out a single event on
 * {@code GET /2018-06-01/runtime/invocation/next} and completes when the function posts the response, an invocation
 * error or an init error. At that moment it stamps the time and reads the process's peak resident set from
 * {@code /proc/<pid>/status} (VmHWM) while the process is still alive.
 *
 * <p>A second {@code next} (the runtime's loop asking for more work) is held until the sample ends, then refused:
 * the benchmark kills the process as soon as the answer is in.
 */
final class RuntimeApiEmulator implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What came back from the function, and when. */
    record Outcome(String kind, String body, long answeredAtNanos, long restoredAtNanos, long peakRssKb,
                   long cpuMillis, boolean nativeClientLoaded, List<String> requests) { }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final byte[] event;
    private final String requestId = UUID.randomUUID().toString();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<String> requests = new ArrayList<>();
    private volatile LongSupplier pid = () -> -1;
    private boolean handedOut;
    private volatile long restoredAtNanos = -1;

    RuntimeApiEmulator(byte[] event) throws IOException {
        this.event = event;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void watch(Process process) {
        this.pid = process::pid;
    }

    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            synchronized (requests) {
                requests.add(method + " " + path);
            }
            if (!path.startsWith(PREFIX)) {
                send(exchange, 404, "{\"errorMessage\":\"unknown path\"}");
                return;
            }
            String route = path.substring(PREFIX.length());
            if (method.equals("GET") && route.equals("restore/next")) {
                // SnapStart: the runtime has run its beforeCheckpoint hooks; here Lambda would snapshot, and later
                // restore. The time from here to the answer is the first invocation of a restored function.
                restoredAtNanos = System.nanoTime();
                send(exchange, 200, "");
            } else if (method.equals("POST") && route.equals("restore/error")) {
                answered(exchange, "restore-error " + exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), now);
            } else if (method.equals("GET") && route.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && route.equals("invocation/" + requestId + "/response")) {
                answered(exchange, "response", now);
            } else if (method.equals("POST") && route.equals("invocation/" + requestId + "/error")) {
                answered(exchange, "error " + exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), now);
            } else if (method.equals("POST") && route.equals("init/error")) {
                answered(exchange, "init-error " + exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), now);
            } else {
                send(exchange, 404, "{\"errorMessage\":\"unknown route " + route + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        boolean first;
        synchronized (this) {
            first = !handedOut;
            handedOut = true;
        }
        if (!first) {
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 500, "{\"errorMessage\":\"benchmark sample is over\"}");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", requestId);
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
        headers.add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:ecr-digest-guard");
        headers.add("Lambda-Runtime-Trace-Id",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
        exchange.sendResponseHeaders(200, event.length);
        exchange.getResponseBody().write(event);
    }

    private void answered(HttpExchange exchange, String kind, long at) throws IOException {
        long rss = peakRssKb(pid.getAsLong());
        long cpu = cpuMillis(pid.getAsLong());
        boolean nativeClient = mapsLibrary(pid.getAsLong(), "libaws-lambda-jni");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        send(exchange, 202, "{\"status\":\"OK\"}");
        List<String> seen;
        synchronized (requests) {
            seen = List.copyOf(requests);
        }
        outcome.complete(new Outcome(kind, body, at, restoredAtNanos, rss, cpu, nativeClient, seen));
    }

    static long peakRssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process is gone already: no figure rather than a wrong one.
        }
        return -1;
    }

    /** Whether the process has mapped a shared library: the runtime client's native part really loaded. */
    static boolean mapsLibrary(long pid, String name) {
        try {
            return pid > 0 && Files.readString(Path.of("/proc/" + pid + "/maps")).contains(name);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * User plus system CPU time of all the process's threads so far (clock ticks of 10 ms): less sensitive than wall
     * time to other work on a shared machine, so it shows the effect of a change when the wall clock is noisy.
     */
    static long cpuMillis(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command name: state is field 3, so utime (14) and stime (15) sit at 11 and 12 here.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        finished.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
