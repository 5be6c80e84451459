package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The guard's one entry point, shared by the Lambda handler and the {@code check} command: an ECR event in, what was
 * done about it out. A malformed or unrelated event is logged and answered without any port; a non-production push is
 * decided from the configuration alone; a production push gets the ports (built on first use) and goes to
 * {@link ProductionPushResponse}: inspect, re-tag in MODE=RETAG, alert unless silenced.
 *
 * <p>Failures a retry can fix propagate, so the Lambda invocation fails and Lambda's retries and on-failure
 * destination keep the event; the command line turns them into exit status 3.
 */
public final class Guard {

    private final GuardConfig config;
    private final Supplier<GuardPorts> ports;

    /** {@code ports} is called once, on the first production push, and its result kept. */
    public Guard(GuardConfig config, Supplier<GuardPorts> ports) {
        this.config = Objects.requireNonNull(config, "config");
        this.ports = new Memoized<>(Objects.requireNonNull(ports, "ports"));
    }

    /** Builds the ports now rather than on the first production push: SnapStart priming wants them in the snapshot. */
    public void preparePorts() {
        ports.get();
    }

    /**
     * Responds to one event. Every log line from here on carries the event's id and, for a push, its repository, tag
     * and digest; the caller clears that context when the invocation ends.
     *
     * @param deadline when alert channels give up, so the caller can still log and reply
     */
    public GuardResponse respond(EventReading reading, GuardMetrics metrics, Instant deadline) {
        if (reading instanceof EventReading.Malformed malformed) {
            metrics.malformedEvent();
            Log.putContext("eventId", malformed.eventId());
            Log.error("malformed event, not processed (retrying cannot help): " + malformed.reason(), null);
            return GuardResponse.without(GuardOutcome.MALFORMED, malformed.reason());
        }
        if (reading instanceof EventReading.Ignored ignored) {
            Log.putContext("eventId", ignored.eventId());
            Log.info("event ignored: " + ignored.reason());
            return GuardResponse.without(GuardOutcome.IGNORED, ignored.reason());
        }
        PushEvent event = ((EventReading.Push) reading).event();
        metrics.pushSeen();
        Log.putContext("eventId", event.eventId());
        Log.putContext("repository", event.repository().value());
        Log.putContext("tag", event.tag().value());
        Log.putContext("imageDigest", event.digest().value());
        // Decided from the configuration alone, before the ports exist: most pushes never build an SDK client.
        if (!config.productionTags().isProduction(event.tag())) {
            Log.info("not a production tag; no check needed", "productionTagPatterns", config.productionTags());
            return GuardResponse.without(GuardOutcome.NOT_PRODUCTION, "tag " + event.tag()
                    + " is not a production tag (" + config.productionTags() + "); nothing to check");
        }
        metrics.productionPush();
        return new ProductionPushResponse(ports.get(), config.productionTags(), config.silencedRepositories())
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
