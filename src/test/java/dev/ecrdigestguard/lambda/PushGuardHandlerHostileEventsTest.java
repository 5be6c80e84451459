package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.HostileEvents.Expect;
import dev.ecrdigestguard.testing.HostileEvents;
import dev.ecrdigestguard.testing.LocalAws;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input suite through the handler, with the raw bytes as the runtime hands them over and real SDK clients
 * against a local ECR and SNS: whatever the event, the invocation ends in bounded time and memory with the outcome it
 * must have, an event that can't be acted on makes no AWS call and is logged (never a silent success), nothing
 * throws, and no log line carries a stack trace or an unbounded echo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushGuardHandlerHostileEventsTest {

    /** Far more than reading any event needs; the 10 MB body itself is allocated before the invocation. */
    private static final long ALLOCATION_BOUND = 48L * 1024 * 1024;
    private static final int LOG_LINE_BOUND = 8 * 1024;

    private LocalAws aws;
    private WireMockServer server;
    private PushGuardHandler handler;

    @BeforeAll
    void startLocalAws() {
        aws = LocalAws.start();
        server = aws.server();
        handler = new PushGuardHandler(GuardConfig.forFunction(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard")));
    }

    @AfterAll
    void stop() {
        aws.close();
    }

    @BeforeEach
    void answerAsEcrAndSnsWould() {
        server.resetAll();
        LocalAws.answerTheCollision(server);
    }

    List<HostileEvents.Case> cases() {
        return HostileEvents.all();
    }

    @Test
    void theSuite_holdsAtLeastAHundredCases_ofEveryKind() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(100);
        assertThat(cases()).extracting(HostileEvents.Case::expect).contains(Expect.values());
        assertThat(cases()).extracting(HostileEvents.Case::name).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void event_endsAsItMust_inBoundedTimeAndMemory_withNoCallUnlessActionable(HostileEvents.Case event) {
        try (CapturedLog log = new CapturedLog()) {
            // WHEN the runtime hands the bytes to the handler
            Invocation invocation = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                long before = allocatedBytes();
                String output = invoke(event.body());
                return new Invocation(output, allocatedBytes() - before);
            });

            // THEN the outcome is the one the case must have
            assertThat(invocation.output()).isEqualTo("{\"outcome\":\"" + event.expect().name() + "\"}");
            if (event.expect() == Expect.ALERTED) {
                server.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")));
            } else {
                server.verify(0, anyRequestedFor(anyUrl()));
            }
            // in bounded memory
            assertThat(invocation.allocatedBytes()).as("bytes allocated by the invocation")
                    .isLessThan(ALLOCATION_BOUND);
            // and it says so: one error line for a malformed event, a line naming the reason otherwise
            List<String> lines = log.lines();
            assertThat(lines).allSatisfy(PushGuardHandlerHostileEventsTest::isOneBoundedJsonLine);
            long errors = lines.stream().filter(line -> line.contains("\"level\":\"ERROR\"")).count();
            if (event.expect() == Expect.MALFORMED) {
                assertThat(errors).isEqualTo(1);
                assertThat(lines).anySatisfy(line -> assertThat(line).contains("malformed event, not processed"));
            } else {
                assertThat(errors).isZero();
            }
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"outcome\":\""
                    + event.expect().name() + "\""));
        }
    }

    private record Invocation(String output, long allocatedBytes) {
    }

    private static void isOneBoundedJsonLine(String line) {
        assertThat(line.length()).isLessThan(LOG_LINE_BOUND);
        assertThat(line).doesNotContain("\tat ", "\u001b", "\r", "\u2028");
        try {
            JsonNode json = Json.mapper().readTree(line);
            assertThat(json.isObject()).isTrue();
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private String invoke(byte[] body) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(body), output,
                new FakeContext("8f5c4ab6-0d2e-4c61-9a70-5e1b6e0f3a21", "ecr-digest-guard", 60_000));
        return output.toString(StandardCharsets.UTF_8);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
