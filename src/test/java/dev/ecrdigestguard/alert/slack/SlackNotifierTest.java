package dev.ecrdigestguard.alert.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.config.SecretUnavailableException;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.MutableClock;
import dev.ecrdigestguard.testing.Reports;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook is a local WireMock server; every payload it receives is what Slack would. */
class SlackNotifierTest {

    private static final String PATH = "/services/T0SECRET1/B0SECRET2/s3cr3tT0k3nXXXXXXXXXXXXX";
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private WireMockServer slack;
    private MutableClock clock;
    private final List<Duration> sleeps = new ArrayList<>();
    private CapturedLog log;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort());
        slack.start();
        clock = new MutableClock(NOW);
        log = new CapturedLog();
    }

    @AfterEach
    void stop() {
        slack.stop();
        log.close();
    }

    private String url() {
        return "http://localhost:" + slack.port() + PATH;
    }

    private SlackNotifier notifier(Supplier<SlackWebhookUrl> webhook) {
        return new SlackNotifier(webhook, new SlackMessageRenderer(ProductionTags.parse("tag-*")),
                HttpClient.newHttpClient(), clock, duration -> {
            sleeps.add(duration);
            clock.advance(duration);
        });
    }

    private SlackNotifier notifier() {
        return notifier(() -> SlackWebhookUrl.fromSecret(url(), "arn:test"));
    }

    private void answer(int status, String body) {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    /** Answers in order, then keeps giving the last answer. */
    private void answers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "after-" + i;
            slack.stubFor(post(PATH).inScenario("slack").whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    private void assertNoSecretAnywhere(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr3t", "B0SECRET2");
        }
        assertThat(log.text()).doesNotContain("s3cr3t", "B0SECRET2");
    }

    @Test
    void send_postsBlockKitJson_andSucceedsOn200Ok() throws Exception {
        answer(200, "ok");

        notifier().send(Reports.collision(), NOW.plusSeconds(30));

        slack.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", containing("application/json")));
        JsonNode payload = Json.mapper().readTree(slack.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertThat(payload.get("text").asText()).startsWith("WARNING: tag-1-253-0");
        assertThat(payload.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void send_on429_waitsRetryAfter_thenRetries() {
        answers(aResponse().withStatus(429).withHeader("Retry-After", "3").withBody("rate_limited"),
                aResponse().withStatus(200).withBody("ok"));

        notifier().send(Reports.collision(), NOW.plusSeconds(30));

        slack.verify(2, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void send_on5xx_retriesWithGrowingBackoff() {
        answers(aResponse().withStatus(500).withBody("rollup_error"), aResponse().withStatus(503),
                aResponse().withStatus(200).withBody("ok"));

        notifier().send(Reports.collision(), NOW.plusSeconds(30));

        slack.verify(3, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void send_alwaysFailing5xx_givesUpAfterMaxAttempts_retryable() {
        answer(502, "bad gateway");

        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> notifier().send(Reports.collision(), NOW.plusSeconds(600)));

        slack.verify(SlackNotifier.MAX_ATTEMPTS, postRequestedFor(urlEqualTo(PATH)));
        assertThat(thrown.retryable()).isTrue();
        assertThat(thrown.getMessage()).contains("failed 5 times", "HTTP 502");
        assertNoSecretAnywhere(thrown);
    }

    @Test
    void send_stopsRetrying_whenTheNextAttemptWouldPassTheDeadline() {
        answer(429, "rate_limited");
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20")));

        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> notifier().send(Reports.collision(), NOW.plusSeconds(15)));

        slack.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeps).isEmpty();
        assertThat(thrown.retryable()).isTrue();
        assertThat(thrown.getMessage()).contains("would pass the deadline");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 410})
    void send_onOther4xx_failsOnce_notRetryable_withStatus_andWithoutTheUrl(int status) {
        answer(status, "no_service");

        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> notifier().send(Reports.collision(), NOW.plusSeconds(30)));

        slack.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeps).isEmpty();
        assertThat(thrown.retryable()).isFalse();
        assertThat(thrown.getMessage()).contains("HTTP " + status, "no_service", "localhost:" + slack.port() + "/***");
        assertNoSecretAnywhere(thrown);
    }

    @Test
    void send_whenNothingListens_failsRetryable_withoutTheUrl() {
        answer(200, "ok");
        int port = slack.port();
        slack.stop();

        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> notifier(() -> SlackWebhookUrl.fromSecret("http://localhost:" + port + PATH, "arn:test"))
                        .send(Reports.collision(), NOW.plusSeconds(5)));

        assertThat(thrown.retryable()).isTrue();
        assertNoSecretAnywhere(thrown);
    }

    @Test
    void send_readsTheWebhookOnce_acrossSends() {
        answer(200, "ok");
        AtomicInteger reads = new AtomicInteger();
        SlackNotifier notifier = notifier(() -> {
            reads.incrementAndGet();
            return SlackWebhookUrl.fromSecret(url(), "arn:test");
        });

        notifier.send(Reports.collision(), NOW.plusSeconds(30));
        notifier.send(Reports.collision(), NOW.plusSeconds(30));

        assertThat(reads).hasValue(2 - 1);
        slack.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void send_whenTheSecretCannotBeRead_failsWithTheCause_andTriesAgainNextTime() {
        answer(200, "ok");
        AtomicInteger reads = new AtomicInteger();
        SlackNotifier notifier = notifier(() -> {
            if (reads.incrementAndGet() == 1) {
                throw new SecretUnavailableException("secretsmanager:GetSecretValue on arn:x failed: throttled",
                        true, null);
            }
            return SlackWebhookUrl.fromSecret(url(), "arn:test");
        });

        assertThatThrownBy(() -> notifier.send(Reports.collision(), NOW.plusSeconds(30)))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("webhook secret is unavailable")
                .hasMessageContaining("throttled");
        notifier.send(Reports.collision(), NOW.plusSeconds(30));

        assertThat(reads).hasValue(2);
    }

    @Test
    void send_whenTheSecretIsNotAWebhookUrl_saysSo_withoutTheValue() {
        NotificationException thrown = catchThrowableOfType(NotificationException.class,
                () -> notifier(() -> SlackWebhookUrl.fromSecret("not a url s3cr3t", "arn:aws:secretsmanager:x"))
                        .send(Reports.collision(), NOW.plusSeconds(30)));

        assertThat(thrown.retryable()).isFalse();
        assertThat(thrown.getMessage()).contains("arn:aws:secretsmanager:x");
        assertNoSecretAnywhere(thrown);
    }

    @Test
    void send_afterSlackRejectedTheWebhook_readsTheSecretAgain_soARotatedSecretFixesIt() {
        answer(404, "no_service");
        AtomicInteger reads = new AtomicInteger();
        SlackNotifier notifier = notifier(() -> {
            reads.incrementAndGet();
            return SlackWebhookUrl.fromSecret(url(), "arn:test");
        });

        assertThatThrownBy(() -> notifier.send(Reports.collision(), NOW.plusSeconds(30)))
                .isInstanceOf(NotificationException.class);
        answer(200, "ok");
        notifier.send(Reports.collision(), NOW.plusSeconds(30));

        assertThat(reads).hasValue(2);
    }
}
