package dev.ecrdigestguard.alert.slack;

import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.config.SecretUnavailableException;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.log.Log;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Posts a report to a Slack incoming webhook as a Block Kit message.
 *
 * <p>Slack answers {@code 200 ok} on success. 429 (after its {@code Retry-After}) and 5xx are retried with
 * exponential backoff, but only while the attempt still fits before the deadline the caller passes in — running into
 * Lambda's timeout would lose the other channels' outcome too. Any other status is a configuration problem (a
 * revoked or mistyped webhook, an archived channel): reported once, not retried, since no retry can fix it.
 *
 * <p>The webhook URL is read on the first send, through the supplier, and kept for the life of the object: one
 * secret fetch per Lambda execution environment. A failed fetch is not kept, so the next alert tries again; nor is a
 * URL Slack rejected, so replacing the secret's value fixes a revoked webhook without a redeploy. The URL
 * never appears in a message or an exception: only its {@link SlackWebhookUrl#redacted() redacted} form does.
 */
public final class SlackNotifier implements Notifier {

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** An attempt with less time than this left would most likely be cut off by the deadline. */
    static final Duration MIN_ATTEMPT = Duration.ofSeconds(1);
    /** Used by {@link #send(GuardReport)}, which has no deadline of its own (the command line). */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);

    private final Supplier<SlackWebhookUrl> webhookSource;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SlackMessageRenderer renderer;
    private volatile SlackWebhookUrl webhook;

    public SlackNotifier(Supplier<SlackWebhookUrl> webhookSource, SlackMessageRenderer renderer, HttpClient http,
                         Clock clock, Sleeper sleeper) {
        this.webhookSource = webhookSource;
        this.renderer = renderer;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * With a JDK HTTP client of its own, the system clock and real sleeps; {@code productionTags} are the function's
     * patterns, which the message's commands pass on.
     */
    public static SlackNotifier create(Supplier<SlackWebhookUrl> webhookSource, ProductionTags productionTags) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new SlackNotifier(webhookSource, new SlackMessageRenderer(productionTags), http, Clock.systemUTC(),
                duration -> Thread.sleep(duration.toMillis()));
    }

    @Override
    public String channel() {
        return "slack";
    }

    @Override
    public void send(GuardReport report) {
        send(report, clock.instant().plus(DEFAULT_BUDGET));
    }

    @Override
    public void send(GuardReport report, Instant deadline) {
        SlackWebhookUrl url = webhook();
        String body = renderer.render(report).toJson();
        Attempt last = null;
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.compareTo(MIN_ATTEMPT) < 0) {
                throw new NotificationException("Slack webhook " + url.redacted() + ": no time left for attempt "
                        + attempt + (last == null ? "" : " (last: " + last.describe() + ")"), true, null);
            }
            last = post(url, body, left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT);
            if (last.delivered()) {
                return;
            }
            if (!last.retryable()) {
                // Forget the URL: if someone rotated the secret to fix this, the next alert reads the new one.
                webhook = null;
                throw new NotificationException("Slack rejected the message to " + url.redacted() + ": "
                        + last.describe() + " — check the webhook URL in the secret and that its channel still "
                        + "exists; not retried", false, null);
            }
            Duration wait = last.retryAfter().orElse(backoff(attempt));
            if (attempt >= MAX_ATTEMPTS) {
                throw new NotificationException("Slack webhook " + url.redacted() + " failed " + attempt
                        + " times; last: " + last.describe(), true, null);
            }
            if (clock.instant().plus(wait).plus(MIN_ATTEMPT).isAfter(deadline)) {
                throw new NotificationException("Slack webhook " + url.redacted() + ": " + last.describe()
                        + "; the next attempt (in " + wait.toMillis() + " ms) would pass the deadline", true, null);
            }
            Log.warn("Slack webhook attempt failed; retrying", "attempt", attempt, "status", last.status(),
                    "waitMillis", wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotificationException("interrupted while waiting to retry the Slack webhook", true, null);
            }
        }
    }

    private SlackWebhookUrl webhook() {
        SlackWebhookUrl current = webhook;
        if (current == null) {
            synchronized (this) {
                current = webhook;
                if (current == null) {
                    try {
                        current = webhookSource.get();
                    } catch (SecretUnavailableException e) {
                        throw new NotificationException("Slack is configured but its webhook secret is unavailable: "
                                + e.getMessage(), e.retryable(), e);
                    } catch (IllegalArgumentException e) {
                        throw new NotificationException(e.getMessage(), false, null);
                    }
                    webhook = current;
                }
            }
        }
        return current;
    }

    static Duration backoff(int attempt) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 10));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private Attempt post(SlackWebhookUrl url, String body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(url.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String answer = url.scrub(response.body()).strip();
            if (answer.length() > 100) {
                answer = answer.substring(0, 100) + "…";
            }
            return new Attempt(response.statusCode(), answer, retryAfter(response));
        } catch (IOException e) {
            // Messages of connection errors can carry the address; keep only the kind of failure, scrubbed.
            return new Attempt(0, e.getClass().getSimpleName() + " " + url.scrub(e.getMessage()), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationException("interrupted while posting to the Slack webhook", true, null);
        }
    }

    /** Slack sends whole seconds; an HTTP date or garbage falls back to the backoff. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(Math.min(seconds, 300))) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** One HTTP exchange; status 0 when no response came (connection refused, timeout). */
    private record Attempt(int status, String answer, Optional<Duration> retryAfter) {

        boolean delivered() {
            return status == 200 && answer.equals("ok");
        }

        boolean retryable() {
            return status == 0 || status == 429 || status >= 500;
        }

        String describe() {
            return status == 0 ? "no response (" + answer + ")" : "HTTP " + status + (answer.isEmpty() ? "" : " " + answer);
        }
    }
}
