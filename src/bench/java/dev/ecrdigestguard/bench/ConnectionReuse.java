package dev.ecrdigestguard.bench;

import com.sun.net.httpserver.HttpServer;
import dev.ecrdigestguard.aws.AwsClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * How many connections the SDK's URL-connection client opens when several threads share it: THREADS threads make 50
 * {@code GetLifecyclePolicy} calls each to a local server that holds every answer 20 ms and counts the client ports
 * it sees. The JDK keeps at most {@code http.maxConnections} idle connections per host (5 unless set); beyond that a
 * connection is closed after its call and a new one opened for the next — against ECR, a TLS handshake each.
 *
 * <p>Run twice, without and with the setting the command line makes ({@code cli.LiveEcr}):
 * {@code ./mvnw -B -Pscanbench test-compile exec:exec -Dscanbench.main=dev.ecrdigestguard.bench.ConnectionReuse
 * -Dscanbench.args=16 [-Dscanbench.jvmArgs=-Dhttp.maxConnections=64]}.
 */
public final class ConnectionReuse {

    private ConnectionReuse() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int threads = Integer.parseInt(args.length > 0 ? args[0] : "16");
        int calls = threads * 50;
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        ExecutorService serverThreads = Executors.newFixedThreadPool(threads * 2);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                clientPorts.add(exchange.getRemoteAddress().getPort());
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(20);
                byte[] body = "{\"repositoryName\":\"app\",\"lifecyclePolicyText\":\"{}\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        System.setProperty("aws.endpointUrlEcr", "http://127.0.0.1:" + server.getAddress().getPort());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "benchmark");
        System.setProperty("aws.secretAccessKey", "benchmark");
        try (EcrClient ecr = AwsClients.newEcrClient()) {
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            for (int i = 0; i < calls; i++) {
                callers.execute(() -> ecr.getLifecyclePolicy(request -> request.repositoryName("app")));
            }
            callers.shutdown();
            if (!callers.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the calls did not finish in 5 minutes");
            }
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
        System.out.printf("%d threads, %d calls, http.maxConnections=%s: %d connections opened%n", threads, calls,
                System.getProperty("http.maxConnections", "(unset: 5)"), clientPorts.size());
    }
}
