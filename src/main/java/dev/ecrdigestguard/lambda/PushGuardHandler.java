package dev.ecrdigestguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.EcrImageCatalog;
import dev.ecrdigestguard.aws.SnsNotifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.guard.GuardReport;
import dev.ecrdigestguard.guard.PushGuard;
import dev.ecrdigestguard.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Lambda entry point for EventBridge {@code ECR Image Action} events. It stays thin: read the event, ask the
 * guard, deliver the alert, report what happened.
 *
 * <p>Error policy: malformed input is logged and the invocation returns normally (a retry would fail the same way);
 * every AWS failure propagates, so Lambda's asynchronous retries and the on-failure destination keep the event.
 */
public final class PushGuardHandler implements RequestStreamHandler {

    private final GuardConfig config;
    private final Supplier<Wiring> wiring;
    /** Held so the checkpoint coordination, which may keep only a weak reference, still finds it. */
    private SnapStartPriming priming;

    /** What a production push needs; built on the first one, so other pushes never construct an SDK client. */
    public record Wiring(PushGuard guard, AlertFanOut alerts) { }

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
        this(config, () -> new Wiring(
                new PushGuard(config.productionTags(), new EcrImageCatalog(AwsClients.newEcrClient())),
                new AlertFanOut(List.of(new SnsNotifier(AwsClients::newSnsClient, config.alertTopic().orElseThrow())))));
    }

    /** For tests and other hosts: the configuration and a factory for the ports. */
    public PushGuardHandler(GuardConfig config, Supplier<Wiring> wiring) {
        this.config = config;
        this.wiring = new Memoized<>(wiring);
        Log.setLevel(Log.Level.valueOf(config.logLevel().name()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            String outcome = handle(input);
            output.write(("{\"outcome\":\"" + outcome + "\"}").getBytes(StandardCharsets.UTF_8));
        } finally {
            Log.clearContext();
        }
    }

    private String handle(InputStream input) {
        EventReading reading = EcrEventReader.read(input);
        if (reading instanceof EventReading.Malformed malformed) {
            Log.putContext("eventId", malformed.eventId());
            Log.error("malformed event, not processed (retrying cannot help): " + malformed.reason(), null);
            return "MALFORMED";
        }
        if (reading instanceof EventReading.Ignored ignored) {
            Log.putContext("eventId", ignored.eventId());
            Log.info("event ignored: " + ignored.reason());
            return "IGNORED";
        }
        PushEvent event = ((EventReading.Push) reading).event();
        Log.putContext("eventId", event.eventId());
        Log.putContext("repository", event.repository().value());
        Log.putContext("tag", event.tag().value());
        Log.putContext("imageDigest", event.digest().value());
        if (!config.productionTags().isProduction(event.tag())) {
            Log.info("not a production tag; no check needed", "productionTagPatterns", config.productionTags());
            return "NOT_PRODUCTION";
        }
        Wiring ports = wiring.get();
        GuardReport report;
        try {
            report = ports.guard().inspect(event);
        } catch (RuntimeException e) {
            Log.error("could not check the push; failing the invocation so Lambda retries it: " + e.getMessage(), e);
            throw e;
        }
        Log.info(report.summary(), "findings", report.findings().size());
        if (!report.hasFindings()) {
            return "CLEAN";
        }
        report.findings().forEach(finding ->
                Log.warn(finding.title(), "findingKind", finding.kind().name(), "severity", finding.severity().name()));
        ports.alerts().deliver(report);
        return "ALERTED";
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
