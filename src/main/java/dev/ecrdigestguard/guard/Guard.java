package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.DeletionEvent;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.event.TaggedImageEvent;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The guard's one entry point, shared by the Lambda handler and the {@code check} command: an ECR event in, what was
 * done about it out. A malformed or unrelated event is logged and answered without any port; a non-production push is
 * decided from the configuration alone; a production push gets the ports of its registry (the account and region it
 * came from; built on first use) and goes to {@link ProductionPushResponse}: inspect, re-tag in MODE=RETAG, alert
 * unless silenced. A push from an account whose credentials are refused raises an alert about that instead
 * ({@link UnreachableAccountResponse}).
 *
 * <p>Failures a retry can fix propagate, so the Lambda invocation fails and Lambda's retries and on-failure
 * destination keep the event; the command line turns them into exit status 3.
 */
public final class Guard {

    private final GuardConfig config;
    private final PortsByRegistry ports;

    /** One account: {@code ports} is called once, on the first production push, and its result kept. */
    public Guard(GuardConfig config, Supplier<GuardPorts> ports) {
        this(config, PortsByRegistry.sameForEvery(ports));
    }

    /** Ports chosen per push by the registry (account and region) it came from. */
    public Guard(GuardConfig config, PortsByRegistry ports) {
        this.config = Objects.requireNonNull(config, "config");
        this.ports = Objects.requireNonNull(ports, "ports");
    }

    /** Builds the ports now rather than on the first production push: SnapStart priming wants them in the snapshot. */
    public void preparePorts() {
        ports.prepare();
    }

    /**
     * Responds to one event. Every log line from here on carries the event's id and, for a push, its account, region,
     * repository, tag and digest; the caller clears that context when the invocation ends.
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
        if (reading instanceof EventReading.Deletion deletion) {
            return respondToDeletion(deletion.event(), metrics, deadline);
        }
        PushEvent event = ((EventReading.Push) reading).event();
        metrics.pushSeen();
        putLogContext(event);
        // Decided from the configuration alone, before the ports exist: most pushes never build an SDK client.
        if (!config.productionTags().isProduction(event.tag())) {
            Log.info("not a production tag; no check needed", "productionTagPatterns", config.productionTags());
            return GuardResponse.without(GuardOutcome.NOT_PRODUCTION, "tag " + event.tag()
                    + " is not a production tag (" + config.productionTags() + "); nothing to check");
        }
        metrics.productionPush();
        GuardPorts registryPorts;
        try {
            registryPorts = ports.forPush(event);
        } catch (AccountAccessException e) {
            return new UnreachableAccountResponse(ports.alerts(), config.productionTags())
                    .respond(event, e, metrics, deadline);
        }
        return new ProductionPushResponse(registryPorts, config.productionTags(), config.silencedRepositories())
                .respond(event, metrics, deadline);
    }

    /** Every log line of this invocation names the event, its registry and its image. */
    private static void putLogContext(TaggedImageEvent event) {
        Log.putContext("eventId", event.eventId());
        Log.putContext("account", event.account());
        Log.putContext("region", event.region());
        Log.putContext("repository", event.repository().value());
        Log.putContext("tag", event.tag().value());
        Log.putContext("imageDigest", event.digest().value());
    }

    /** A deleted tag: non-production ones need nothing at all; production ones get the post-mortem. */
    private GuardResponse respondToDeletion(DeletionEvent event, GuardMetrics metrics, Instant deadline) {
        putLogContext(event);
        if (!config.productionTags().isProduction(event.tag())) {
            Log.info("deleted tag is not a production tag; nothing to check");
            return GuardResponse.without(GuardOutcome.NOT_PRODUCTION, "tag " + event.tag()
                    + " is not a production tag (" + config.productionTags() + "); nothing to check");
        }
        return new ReleaseDeletionResponse(ports, config.silencedRepositories()).respond(event, metrics, deadline);
    }
}
