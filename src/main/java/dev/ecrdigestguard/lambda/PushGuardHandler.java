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
import dev.ecrdigestguard.aws.FunctionInvoker;
import dev.ecrdigestguard.config.SweepSettings;
import dev.ecrdigestguard.event.SweepEventReader;
import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RiskRegister;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.sweep.SliceInvoker;
import dev.ecrdigestguard.sweep.Sweeper;
import java.io.BufferedInputStream;
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
import software.amazon.awssdk.regions.Region;

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
    /** The scheduled sweep, when the function has its table ({@code LEDGER_TABLE}). */
    private final Optional<Sweeper> sweeper;
    private final Clock clock;
    /** Who the function is, from the ARN of its latest invocation: its account for the sweep and the credentials. */
    private final InvokedFunction self;
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
        this(GuardConfig.forFunction(environment), MemberRole.fromEnvironment(environment),
                SweepSettings.fromEnvironment(environment), environment, new InvokedFunction());
    }

    private PushGuardHandler(GuardConfig config, Optional<MemberRole> memberRole, SweepSettings sweep,
                             Map<String, String> environment, InvokedFunction self) {
        this(config, memberRole, sweep, GuardAssembly.functionTable(sweep), environment, self, Clock.systemUTC());
    }

    /** The function's credentials learn its own account from its ARN ({@code self}), never from STS. */
    private PushGuardHandler(GuardConfig config, Optional<MemberRole> memberRole, SweepSettings sweep,
                             Optional<GuardAssembly.FunctionTable> table, Map<String, String> environment,
                             InvokedFunction self, Clock clock) {
        this(config, GuardAssembly.awsPortsByRegistry(config, memberRole, self::caller,
                        GuardAssembly.alertChannels(config),
                        table.map(GuardAssembly.FunctionTable::ledger).orElse(ReleaseLedger.none()),
                        table.map(GuardAssembly.FunctionTable::risks).orElse(RiskRegister.none())),
                table.map(t -> GuardAssembly.sweeper(config, sweep, memberRole, self::caller, t,
                        thisFunction(environment), clock)), self, clock);
    }

    /** The runtime's ports (real SDK clients) for one account; tests point the SDK at a local server. */
    PushGuardHandler(GuardConfig config) {
        this(config, Optional.empty(), SweepSettings.ownRegistry(Optional.empty()), Map.of(), new InvokedFunction());
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
        this(config, ports, Optional.empty(), clock);
    }

    /** With the scheduled sweep as well. */
    public PushGuardHandler(GuardConfig config, PortsByRegistry ports, Optional<Sweeper> sweeper, Clock clock) {
        this(config, ports, sweeper, new InvokedFunction(), clock);
    }

    private PushGuardHandler(GuardConfig config, PortsByRegistry ports, Optional<Sweeper> sweeper,
                             InvokedFunction self, Clock clock) {
        this.guard = new Guard(config, ports);
        this.sweeper = sweeper;
        this.self = self;
        this.clock = clock;
        Log.setLevel(Log.Level.valueOf(config.logLevel().name()));
    }

    /**
     * The function invoking itself for the sweep's next step: its alias ({@code SWEEP_HAND_ON_ALIAS}, so the alias's
     * retries and on-failure queue apply), else this version (the runtime names it); built on the first hand-over.
     */
    private static SliceInvoker thisFunction(Map<String, String> environment) {
        return new SliceInvoker() {
            private FunctionInvoker invoker;

            @Override
            public synchronized void start(SweepRequest.Slice slice) {
                if (invoker == null) {
                    String name = environment.get("AWS_LAMBDA_FUNCTION_NAME");
                    String region = environment.get("AWS_REGION");
                    if (name == null || region == null) {
                        throw new IllegalStateException("the sweep hands its next step to a new invocation of this "
                                + "function, and AWS_LAMBDA_FUNCTION_NAME or AWS_REGION is not set to say which");
                    }
                    String qualifier = environment.getOrDefault(GuardConfig.SWEEP_HAND_ON_ALIAS,
                            environment.getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"));
                    invoker = FunctionInvoker.of(name, qualifier, Region.of(region));
                }
                invoker.invokeAsync(slice.toJson());
            }
        };
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
        self.invokedBy(context);
        try {
            BufferedInputStream event = new BufferedInputStream(input, SweepEventReader.MAX_BYTES + 1);
            Optional<byte[]> sweep = sweepEvent(event);
            outcome = sweep.isPresent() ? sweep(sweep.get(), context, metrics, deadline)
                    : guard.respond(EcrEventReader.read(event), metrics, deadline).outcome();
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

    // ---- the scheduled sweep (issue 10): the guard's own events, told apart from ECR's by their source

    /**
     * The event's first bytes when it claims to be one of the guard's sweep events (its {@code source}, within the
     * size a sweep event may have and one byte more, so an oversized one is refused as such); the stream is left at
     * its start otherwise, for the ECR reader, and nothing more of it is held.
     */
    private static Optional<byte[]> sweepEvent(BufferedInputStream event) throws IOException {
        event.mark(SweepEventReader.MAX_BYTES + 1);
        byte[] start = event.readNBytes(SweepEventReader.MAX_BYTES + 1);
        event.reset();
        return SweepEventReader.isSweepEvent(start) ? Optional.of(start) : Optional.empty();
    }

    private GuardOutcome sweep(byte[] event, Context context, GuardMetrics metrics, Instant deadline) {
        if (sweeper.isEmpty()) {
            Log.error("sweep event received, but the function has no ledger table (LEDGER_TABLE): the sweep keeps its "
                    + "place and its alerts there; deploy template.yaml, which creates it", null);
            return GuardOutcome.IGNORED;
        }
        Optional<AccountRegion> own;
        try {
            own = self.arn().map(InvokedFunction.Arn::registry);
        } catch (IllegalArgumentException e) {
            Log.error("sweep event received, but " + e.getMessage(), null);
            return GuardOutcome.IGNORED;
        }
        if (own.isEmpty()) {
            Log.error("sweep event received outside Lambda: the function's own account and region come from its "
                    + "ARN in the invocation context", null);
            return GuardOutcome.IGNORED;
        }
        return sweeper.get().respond(SweepEventReader.read(event), own.get(), metrics, deadline).outcome();
    }
}
