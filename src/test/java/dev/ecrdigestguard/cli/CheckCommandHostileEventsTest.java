package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.testing.HostileEvents.Expect;
import dev.ecrdigestguard.testing.HostileEvents;
import dev.ecrdigestguard.testing.LocalAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input suite through {@code check}, as {@code java -jar … check --event FILE} runs it, reading ECR live
 * (a local server): a malformed event exits 2 with one line that says why, an event of someone else's exits 0 saying
 * it was ignored, the collision push exits 1 with its alert — never 4, never a stack trace, never an AWS call for an
 * event that can't be acted on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckCommandHostileEventsTest {

    private static final int STDERR_BOUND = 4 * 1024;

    @TempDir
    Path folder;

    private LocalAws aws;
    private WireMockServer server;

    @BeforeAll
    void startLocalAws() {
        aws = LocalAws.start();
        server = aws.server();
    }

    @AfterAll
    void stop() {
        aws.close();
    }

    @BeforeEach
    void answerAsEcrWould() {
        server.resetAll();
        LocalAws.answerTheCollision(server);
    }

    List<HostileEvents.Case> cases() {
        return HostileEvents.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void check_exitsAsItMust_withOneLineOrTheAlert_andNoCallUnlessActionable(HostileEvents.Case event)
            throws Exception {
        Path file = Files.write(folder.resolve("event.json"), event.body());

        CheckCommandTest.Run run = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> CheckCommandTest.run("check", "--event", file.toString(), "--production-tags", "tag-*"));

        assertThat(run.err()).doesNotContain("\tat ", "Exception in thread").hasSizeLessThan(STDERR_BOUND);
        assertThat(run.out() + run.err()).doesNotContain("\u001b", "\r", "\u0000", "\u2028");
        switch (event.expect()) {
            case MALFORMED -> {
                assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
                assertThat(run.err()).startsWith("check: event " + file + " is malformed: ").endsWith("\n");
                assertThat(run.err().lines()).hasSize(1);
                assertThat(run.out()).isEmpty();
            }
            case IGNORED, NOT_PRODUCTION -> {
                assertThat(run.status()).isEqualTo(Main.OK);
                assertThat(run.out()).startsWith("Event ignored: ");
                assertThat(run.err()).isEmpty();
            }
            case ALERTED -> {
                assertThat(run.status()).isEqualTo(Main.FINDINGS);
                assertThat(run.out()).contains("Subject: [ecr-digest-guard] WARNING SHARED_DIGEST: tag-1-253-0");
            }
        }
        if (event.expect() == Expect.ALERTED) {
            server.verify(0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")));
        } else {
            server.verify(0, anyRequestedFor(anyUrl()));
        }
    }
}
