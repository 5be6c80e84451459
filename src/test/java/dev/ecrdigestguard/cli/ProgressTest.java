package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.testing.LocalAws;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void progress_drawsOneSelfRewritingLine_onlyWhenEnabled() {
        StringWriter terminal = new StringWriter();
        StringWriter file = new StringWriter();
        for (StringWriter sink : new StringWriter[] {terminal, file}) {
            Progress progress = new Progress(new PrintWriter(sink), sink == terminal, "audit", 2);
            progress.repository(RepositoryName.of("shop-api"));
            for (int i = 0; i < 1000; i++) {
                progress.image();
            }
            progress.throttled(3);
            progress.done();
        }

        assertThat(terminal.toString()).startsWith("\r\u001b[Kaudit 1/2 shop-api")
                .contains("\r\u001b[Kaudit 1/2 shop-api: 1000 images read")
                .contains("(throttled 3×, slowing down)").endsWith("\r\u001b[K");
        assertThat(file.toString()).isEmpty();
    }

    @Test
    void terminal_ofCapturedStreams_showsNoProgressAndNoColour() {
        assertThat(Terminal.NONE.showsProgress()).isFalse();
        assertThat(Terminal.NONE.colourOnStdout()).isFalse();
        assertThat(new Terminal(true, true, true).colourOnStderr()).as("NO_COLOR set").isFalse();
        assertThat(new Terminal(false, true, false).showsProgress()).as("stdout redirected, stderr a terminal")
                .isTrue();
    }

    @Test
    void aThrottledAudit_saysSo_evenWithoutATerminal() throws Exception {
        try (LocalAws aws = LocalAws.start()) {
            String target = LocalAws.ECR_TARGET + "DescribeImages";
            String throttled = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";
            aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(target))
                    .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("again")
                    .willReturn(aResponse().withStatus(400).withBody(throttled)));
            aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(target))
                    .inScenario("throttle").whenScenarioStateIs("again").willSetStateTo("served")
                    .willReturn(aResponse().withStatus(400).withBody(throttled)));
            aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(target))
                    .inScenario("throttle").whenScenarioStateIs("served")
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody(LiveCheckTest.onTheWire(Path.of("events/snapshot-expiring/describe-images.json")))));
            aws.server().stubFor(post("/").withHeader("X-Amz-Target", equalTo(LocalAws.ECR_TARGET + "GetLifecyclePolicy"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody(LiveCheckTest.onTheWire(Path.of("events/snapshot-expiring/lifecycle-policy.json")))));

            CheckCommandTest.Run run = CheckCommandTest.run("audit", "--region", "eu-west-1", "--repository",
                    "shop-api", "--production-tags", "tag-*", "--now", "2022-12-22T09:41:12Z");

            assertThat(run.out()).contains("shop-api: 6 images");
            assertThat(run.err()).isEqualTo("audit: ECR throttled 2 requests; the run slowed down and retried them, so"
                    + " it took longer but nothing was skipped\n").doesNotContain("\u001b");
        }
    }
}
