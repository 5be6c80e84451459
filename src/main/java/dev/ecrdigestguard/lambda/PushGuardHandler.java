package dev.ecrdigestguard.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ecrdigestguard.app.GuardAssembly;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.guard.Guard;
import dev.ecrdigestguard.guard.GuardOutcome;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Lambda entry point for EventBridge {@code ECR Image Action} events. It stays thin: read the event, hand it to
 * the {@link Guard} (the same entry the {@code check} command calls), and write the {@link GuardOutcome}.
 *
 * <p>Error policy: malformed input is logged and the invocation returns normally (a retry would fail the same way);
 * every AWS failure propagates, so Lambda's asynchronous retries and the on-failure destination keep the event. An
 * alert fails the invocation only when no channel got it (see {@code AlertFanOut}).
 *
 * <p>Every invocation ends with one embedded-metric-format line (see {@link GuardMetrics}), written even when the
 * invocation fails; every log line carries the request id and, once known, the event id, repository, tag and digest.
 */
public final class PushGuardHandler implements RequestStreamHandler {

    /** Kept back from the function's timeout so that logging, metrics and the reply still happen after alerts. */
    static final Duration FINISH_MARGIN = Duration.ofSeconds(2);
    /** The alert budget when there is no Lambda context (tests, other hosts). */
    static final Duration NO_CONTEXT_BUDGET = Duration.ofSeconds(30);

    private final Guard guard;
    private final Clock clock;
    /** Held so the checkpoint coordination, which may keep only a weak reference, still finds it. */
    private SnapStartPriming priming;

    /** Called by the Lambda runtime once per execution environment. */
    public PushGuardHandler() {
        this(System.getenv());
        // Checked here so that an on-demand start never loads the priming class or the CRaC API.
        if (SnapStartPriming.SNAPSHOT_INITIALIZATION.equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            this.priming = SnapStartPriming.register(guard);
        }
    }

    /**
     * The runtime's ports (real SDK clients) with the settings of {@code environment}, {@code MEMBER_ROLE_NAME}
     * included; tests point the SDK at a local server.
     */
    PushGuardHandler(Map<String, String> environment) {
        this(GuardConfig.forFunction(environment), MemberRole.fromEnvironment(environment));
    }

    private PushGuardHandler(GuardConfig config, Optional<MemberRole> memberRole) {
        this(config, GuardAssembly.awsPortsByRegistry(config, memberRole), Clock.systemUTC());
    }

    /** The runtime's ports (real SDK clients) for one account; tests point the SDK at a local server. */
    PushGuardHandler(GuardConfig config) {
        this(config, Optional.empty());
    }

    /** For tests and other hosts: the configuration and a factory for the ports, called on the first production push. */
    public PushGuardHandler(GuardConfig config, Supplier<GuardPorts> ports) {
        this(config, ports, Clock.systemUTC());
    }

    public PushGuardHandler(GuardConfig config, Supplier<GuardPorts> ports, Clock clock) {
        this(config, PortsByRegistry.sameForEvery(ports), clock);
    }

    /** Ports chosen per push by the account and region it came from. */
    public PushGuardHandler(GuardConfig config, PortsByRegistry ports, Clock clock) {
        this.guard = new Guard(config, ports);
        this.clock = clock;
        Log.setLevel(Log.Level.valueOf(config.logLevel().name()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Instant start = clock.instant();
        Instant deadline = context == null ? start.plus(NO_CONTEXT_BUDGET)
                : start.plusMillis(context.getRemainingTimeInMillis()).minus(FINISH_MARGIN);
        GuardMetrics metrics = new GuardMetrics();
        GuardOutcome outcome = GuardOutcome.FAILED;
        if (context != null) {
            Log.putContext("requestId", context.getAwsRequestId());
        }
        try {
            outcome = guard.respond(EcrEventReader.read(input), metrics, deadline).outcome();
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
}
