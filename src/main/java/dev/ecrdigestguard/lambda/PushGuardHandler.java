package dev.ecrdigestguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.alert.slack.SlackNotifier;
import dev.ecrdigestguard.alert.slack.SlackWebhookUrl;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.AwsSecretSource;
import dev.ecrdigestguard.aws.EcrImageCatalog;
import dev.ecrdigestguard.aws.SnsNotifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.config.SecretSource;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.guard.PushGuard;
import dev.ecrdigestguard.guard.SharedDigestRetag;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.registry.ecr.EcrRegistryClient;
import dev.ecrdigestguard.retag.ManifestRewriting;
import dev.ecrdigestguard.retag.Retagger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The Lambda entry point for EventBridge {@code ECR Image Action} events. It stays thin: read the event, hand a
 * production push to {@link ProductionPushResponse}, and write the {@link InvocationOutcome}.
 *
 * <p>Error policy: malformed input is logged and the invocation returns normally (a retry would fail the same way);
 * every AWS failure propagates, so Lambda's asynchronous retries and the on-failure destination keep the event. An
 * alert fails the invocation only when no channel got it (see {@link AlertFanOut}).
 *
 * <p>Every invocation ends with one embedded-metric-format line (see {@link GuardMetrics}), written even when the
 * invocation fails; every log line carries the request id and, once known, the event id, repository, tag and digest.
 */
public final class PushGuardHandler implements RequestStreamHandler {

    /** Kept back from the function's timeout so that logging, metrics and the reply still happen after alerts. */
    static final Duration FINISH_MARGIN = Duration.ofSeconds(2);
    /** The alert budget when there is no Lambda context (tests, other hosts). */
    static final Duration NO_CONTEXT_BUDGET = Duration.ofSeconds(30);

    private final GuardConfig config;
    private final Supplier<Wiring> wiring;
    private final Clock clock;
    /** Held so the checkpoint coordination, which may keep only a weak reference, still finds it. */
    private SnapStartPriming priming;

    /**
     * What a production push needs; built on the first one, so other pushes never construct an SDK client.
     *
     * @param retag present in MODE=RETAG: what turns shared-digest findings into re-tags
     */
    public record Wiring(PushGuard guard, AlertFanOut alerts, Optional<SharedDigestRetag> retag) {

        public Wiring {
            Objects.requireNonNull(guard);
            Objects.requireNonNull(alerts);
            Objects.requireNonNull(retag);
        }

        /** MODE=ALERT: report, change nothing. */
        public Wiring(PushGuard guard, AlertFanOut alerts) {
            this(guard, alerts, Optional.empty());
        }
    }

    /** Called by the Lambda runtime once per execution environment. */
    public PushGuardHandler() {
        this(GuardConfig.forFunction(System.getenv()));
        // Checked here so that an on-demand start never loads the priming class or the CRaC API.
        if (SnapStartPriming.SNAPSHOT_INITIALIZATION.equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            this.priming = SnapStartPriming.register(wiring);
        }
    }

    /** The runtime's wiring (real SDK clients) with a given configuration; tests point the SDK at a local server. */
    PushGuardHandler(GuardConfig config) {
        this(config, () -> {
            List<Notifier> notifiers = new ArrayList<>();
            notifiers.add(new SnsNotifier(AwsClients::newSnsClient, config.alertTopic().orElseThrow()));
            config.slackWebhookSecret().ifPresent(arn -> notifiers.add(slackNotifier(arn, new AwsSecretSource())));
            EcrClient ecr = AwsClients.newEcrClient();
            Optional<SharedDigestRetag> retag = config.mode() == GuardConfig.Mode.RETAG
                    ? Optional.of(new SharedDigestRetag(new Retagger(EcrRegistryClient.create(ecr),
                            ManifestRewriting.standard(), config.productionTags(), config.retagSignedImages())))
                    : Optional.empty();
            return new Wiring(new PushGuard(config.productionTags(), new EcrImageCatalog(ecr)),
                    new AlertFanOut(notifiers), retag);
        });
    }

    /** For tests and other hosts: the configuration and a factory for the ports. */
    public PushGuardHandler(GuardConfig config, Supplier<Wiring> wiring) {
        this(config, wiring, Clock.systemUTC());
    }

    public PushGuardHandler(GuardConfig config, Supplier<Wiring> wiring, Clock clock) {
        this.config = config;
        this.wiring = new Memoized<>(wiring);
        this.clock = clock;
        Log.setLevel(Log.Level.valueOf(config.logLevel().name()));
    }

    /**
     * The Slack channel: the webhook URL is read from the secret on the first alert and kept by the notifier, so a
     * container reads it once, and a function that never alerts never reads it.
     */
    public static SlackNotifier slackNotifier(SecretArn arn, SecretSource secrets) {
        return SlackNotifier.create(() -> SlackWebhookUrl.fromSecret(secrets.read(arn), arn.toString()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Instant start = clock.instant();
        Instant deadline = context == null ? start.plus(NO_CONTEXT_BUDGET)
                : start.plusMillis(context.getRemainingTimeInMillis()).minus(FINISH_MARGIN);
        GuardMetrics metrics = new GuardMetrics();
        InvocationOutcome outcome = InvocationOutcome.FAILED;
        if (context != null) {
            Log.putContext("requestId", context.getAwsRequestId());
        }
        try {
            outcome = handle(input, metrics, deadline);
            output.write(("{\"outcome\":\"" + outcome.name() + "\"}").getBytes(StandardCharsets.UTF_8));
        } finally {
            Map<String, String> properties = Log.context();
            properties.put("outcome", outcome.name());
            Log.raw(metrics.toEmf(clock.instant(),
                    context == null || context.getFunctionName() == null ? "local" : context.getFunctionName(),
                    properties));
            Log.clearContext();
        }
    }

    private InvocationOutcome handle(InputStream input, GuardMetrics metrics, Instant deadline) {
        EventReading reading = EcrEventReader.read(input);
        if (reading instanceof EventReading.Malformed malformed) {
            metrics.malformedEvent();
            Log.putContext("eventId", malformed.eventId());
            Log.error("malformed event, not processed (retrying cannot help): " + malformed.reason(), null);
            return InvocationOutcome.MALFORMED;
        }
        if (reading instanceof EventReading.Ignored ignored) {
            Log.putContext("eventId", ignored.eventId());
            Log.info("event ignored: " + ignored.reason());
            return InvocationOutcome.IGNORED;
        }
        PushEvent event = ((EventReading.Push) reading).event();
        metrics.pushSeen();
        Log.putContext("eventId", event.eventId());
        Log.putContext("repository", event.repository().value());
        Log.putContext("tag", event.tag().value());
        Log.putContext("imageDigest", event.digest().value());
        // Decided from the configuration alone, before the wiring exists: most pushes never build an SDK client.
        if (!config.productionTags().isProduction(event.tag())) {
            Log.info("not a production tag; no check needed", "productionTagPatterns", config.productionTags());
            return InvocationOutcome.NOT_PRODUCTION;
        }
        metrics.productionPush();
        return new ProductionPushResponse(wiring.get(), config.silencedRepositories())
                .respond(event, metrics, deadline);
    }

    /** Computes a value once, on first use, and keeps it for the life of the execution environment. */
    private static final class Memoized<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Memoized(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = factory.get();
                        value = current;
                    }
                }
            }
            return current;
        }
    }
}
