package dev.ecrdigestguard.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.ecrdigestguard.aws.AwsClients;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A local AWS: moto's server ({@code python3 -m moto.server}, shipped on the machine image) on a free loopback port,
 * started for a test and stopped after it. It speaks ECR, SNS, SQS, STS and Organizations, and keeps each account's
 * resources apart by the credentials of the request (assumed-role credentials belong to the role's account). A test
 * that needs it fails, never skips, when it can't be started.
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;
    private final URI endpoint;

    private MotoServer(Process process, Path output, URI endpoint) {
        this.process = process;
        this.output = output;
        this.endpoint = endpoint;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path output = Files.createTempFile("moto-server", ".log");
        Process process;
        try {
            process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            fail("python3 is not installed; the end-to-end tests need moto's server (python3 -m moto.server): "
                    + e.getMessage());
            throw e;
        }
        MotoServer moto = new MotoServer(process, output, URI.create("http://127.0.0.1:" + port));
        moto.awaitReady();
        return moto;
    }

    /** The base URL to give the SDK ({@code aws.endpointUrl*}). */
    public String url() {
        return endpoint.toString();
    }

    /**
     * A test's own way into {@code account}: a session of a setup role there from moto's STS, asked directly (not
     * through any WireMock in front, so the test's calls are neither refused nor counted with the guard's).
     */
    public AwsCredentialsProvider credentialsOf(String account) {
        try (StsClient sts = StsClient.builder().httpClient(AwsClients.http())
                .endpointOverride(endpoint).build()) {
            Credentials session = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/test-setup")
                    .roleSessionName("test-setup")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(session.accessKeyId(),
                    session.secretAccessKey(), session.sessionToken()));
        }
    }

    private void awaitReady() throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("moto's server exited (" + process.exitValue() + ") before it was ready; is moto installed "
                        + "(python3 -m moto.server)? Its output:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL()
                        .openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    connection.disconnect();
                    return;
                }
                connection.disconnect();
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        fail("moto's server did not answer within " + START_TIMEOUT.toSeconds() + " s; its output:\n"
                + Files.readString(output, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the log file is only kept for failures
        }
    }
}
