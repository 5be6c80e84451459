package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.testing.HostileEvents.Expect;
import dev.ecrdigestguard.testing.HostileEvents;
import dev.ecrdigestguard.testing.LocalAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite inside the real Lambda Java runtime interface client ({@code AWSLambda}, as the managed
 * {@code java21} runtime runs it): one execution environment receives every case of {@link HostileEvents} from a
 * local Runtime API, one invocation after the other, with ECR and SNS answered by a local server through
 * {@code AWS_ENDPOINT_URL}. Each invocation must answer with the outcome its case must have, within bounded time,
 * without an invocation error, and with no AWS call unless the event can be acted on; the environment must survive
 * them all, and its log must hold no stack trace.
 */
class HostileEventsInRuntimeIT {

    private static final String HANDLER = "dev.ecrdigestguard.lambda.PushGuardHandler::handleRequest";
    /** An actionable push: the image, its policy (none), one Publish. */
    private static final int CALLS_OF_A_COLLISION = 3;
    /** What an invocation may take on a busy two-core machine; well below the function's 60 s timeout. */
    private static final long MILLIS_BOUND = 10_000;
    /** The first actionable push also builds the SDK clients (cold, unwarmed JIT on a shared machine). */
    private static final long FIRST_PUSH_MILLIS_BOUND = 30_000;

    @TempDir
    Path work;

    @Test
    void everyHostileEvent_endsAsItMust_inTheRealRuntime() throws Exception {
        List<HostileEvents.Case> cases = HostileEvents.all();
        WireMockServer aws = new WireMockServer(options().dynamicPort());
        aws.start();
        LocalAws.answerTheCollision(aws);
        Path log = work.resolve("function.log");
        RuntimeApi runtime = new RuntimeApi(cases.stream().map(HostileEvents.Case::body).toList(),
                () -> aws.getAllServeEvents().size());
        Process function = start(runtime, aws, log);
        try {
            List<RuntimeApi.Answer> answers = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                RuntimeApi.Answer answer = runtime.nextAnswer(60, TimeUnit.SECONDS);
                assertThat(answer).as("answer to case %d (%s); function log:%n%s", i, cases.get(i),
                        tail(log)).isNotNull();
                answers.add(answer);
            }

            SoftAssertions softly = new SoftAssertions();
            int firstPush = cases.indexOf(cases.stream().filter(c -> c.expect() == Expect.ALERTED).findFirst()
                    .orElseThrow());
            for (RuntimeApi.Answer answer : answers) {
                HostileEvents.Case event = cases.get(answer.index());
                softly.assertThat(answer.kind()).as("%s ended", event).isEqualTo("response");
                softly.assertThat(answer.body()).as("%s answered", event)
                        .isEqualTo("{\"outcome\":\"" + event.expect().name() + "\"}");
                softly.assertThat(answer.awsCalls()).as("%s AWS calls", event)
                        .isEqualTo(event.expect() == Expect.ALERTED ? CALLS_OF_A_COLLISION : 0);
                softly.assertThat(answer.millis()).as("%s took", event)
                        .isLessThan(answer.index() == firstPush ? FIRST_PUSH_MILLIS_BOUND : MILLIS_BOUND);
            }
            softly.assertAll();
            assertThat(function.isAlive()).as("the execution environment survived every case").isTrue();
        } finally {
            // The runtime waits in its next call: end it before the Runtime API goes away under the client's native
            // HTTP call (which crashes the JVM, as Lambda never does to it).
            function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            runtime.close();
            aws.stop();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("function log").isNotEmpty()
                .noneMatch(line -> line.contains("\tat ") || line.contains("Exception in thread"))
                .allSatisfy(line -> assertThat(line.length()).isLessThan(8 * 1024));
        assertThat(lines.stream().filter(line -> line.contains("\"_aws\"")).count())
                .as("one metrics line per invocation").isEqualTo(cases.size());
    }

    /** The runtime interface client running the handler, with the variables Lambda and the template set. */
    private Process start(RuntimeApi runtime, WireMockServer aws, Path log) throws Exception {
        Path taskRoot = Files.createDirectories(work.resolve("task"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + work.resolve("hs_err_%p.log"),
                "-classpath", System.getProperty("java.class.path"),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("_HANDLER"));
        env.putAll(Map.of(
                "AWS_LAMBDA_RUNTIME_API", runtime.address(),
                "_HANDLER", HANDLER,
                "LAMBDA_TASK_ROOT", taskRoot.toString(),
                "AWS_LAMBDA_FUNCTION_NAME", "ecr-digest-guard",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand",
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "test-access-key",
                "AWS_SECRET_ACCESS_KEY", "test-secret-key",
                "AWS_ENDPOINT_URL", aws.baseUrl(),
                "PRODUCTION_TAG_PATTERNS", "tag-*"));
        env.put("ALERT_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return builder.start();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
