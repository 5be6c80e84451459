package dev.ecrdigestguard.oci;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code docker-registry} (Debian's build of distribution) on a free loopback port with its own temporary
 * storage, started before a test class and stopped after it. Missing binaries fail the tests instead of skipping
 * them: a silently skipped registry test would let an untested re-tag reach production.
 */
final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {

    static final Path DOCKER_REGISTRY = Path.of("/usr/bin/docker-registry");
    private static final Duration STARTUP = Duration.ofSeconds(20);

    private Process process;
    private Path root;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requireTools();
        root = Files.createTempDirectory("docker-registry-");
        port = freeLoopbackPort();
        Path config = root.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root.resolve("storage"), port));
        process = new ProcessBuilder(DOCKER_REGISTRY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("registry.log").toFile())
                .start();
        awaitReady();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code 127.0.0.1:<port>}, as skopeo image references write it. */
    String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    URI endpoint() {
        return URI.create("http://" + hostAndPort());
    }

    static void requireTools() {
        if (!Files.isExecutable(DOCKER_REGISTRY)) {
            throw new IllegalStateException(DOCKER_REGISTRY + " is missing: install Debian's docker-registry"
                    + " (bash src/it/scripts/install-registry-tools.sh, run by ./mvnw verify)");
        }
        if (!Skopeo.isInstalled()) {
            throw new IllegalStateException("skopeo is missing: install Debian's skopeo"
                    + " (bash src/it/scripts/install-registry-tools.sh, run by ./mvnw verify)");
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(endpoint().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("docker-registry did not answer /v2/ on " + hostAndPort() + " within "
                + STARTUP + ": " + log());
    }

    private String log() throws IOException {
        return Files.readString(root.resolve("registry.log"), StandardCharsets.UTF_8);
    }
}
