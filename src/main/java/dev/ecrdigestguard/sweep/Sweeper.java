package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.SweepSettings;
import dev.ecrdigestguard.event.SweepEventReader;
import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.guard.GuardOutcome;
import dev.ecrdigestguard.guard.GuardResponse;
import dev.ecrdigestguard.guard.RepositoryScan;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduled sweep's entry, beside {@code guard.Guard} for ECR events: the schedule's tick plans which registries
 * the sweep covers — the function's own, or every account (listed, or the organization's) in every region set — and
 * fans out one invocation per registry (Lambda is the distributed engine); each of those runs
 * {@link RegistrySweep} step by step until its registry is done. With a single registry the tick runs its first step
 * itself. A member account that refuses the guard's role is reported and skipped, never fatal.
 */
public final class Sweeper {

    private final SweepSettings settings;
    private final SweepPorts ports;
    private final SliceInvoker invoker;
    private final RegistrySweep registrySweep;

    public Sweeper(GuardConfig config, SweepSettings settings, SweepPorts ports, SweepState state,
                   SliceInvoker invoker, Clock clock) {
        this(config, settings, ports, state, invoker, clock, RepositoryScan.Settings.DEFAULT_CONCURRENCY);
    }

    /** @param concurrency repositories read at a time in one invocation */
    Sweeper(GuardConfig config, SweepSettings settings, SweepPorts ports, SweepState state, SliceInvoker invoker,
            Clock clock, int concurrency) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.registrySweep = new RegistrySweep(settings, config.productionTags(), config.silencedRepositories(),
                ports, Objects.requireNonNull(state, "state"), invoker, Objects.requireNonNull(clock, "clock"),
                concurrency);
    }

    /**
     * @param own      the function's own account and region (from its ARN)
     * @param deadline when the invocation's work must be done, so it can still log, save and hand on
     */
    public GuardResponse respond(SweepEventReader.Reading reading, AccountRegion own, GuardMetrics metrics,
                                 Instant deadline) {
        if (reading instanceof SweepEventReader.Reading.Malformed malformed) {
            metrics.malformedEvent();
            Log.error("malformed sweep event, not processed (retrying cannot help): " + malformed.reason(), null);
            return new GuardResponse(GuardOutcome.MALFORMED, malformed.reason(), Optional.empty(), Optional.empty());
        }
        SweepRequest request = ((SweepEventReader.Reading.Request) reading).request();
        Log.putContext("sweep", request.sweepId());
        if (request instanceof SweepRequest.Slice slice) {
            Log.putContext("account", slice.registry().account());
            Log.putContext("region", slice.registry().region());
            Log.putContext("step", Integer.toString(slice.step()));
            return answer(registrySweep.run(slice, metrics, deadline), "step " + slice.step() + " of "
                    + slice.registry());
        }
        List<AccountRegion> registries = registries(own);
        Log.info("sweep started", "registries", registries.size(), "executionId",
                ((SweepRequest.Scheduled) request).executionId());
        if (registries.size() == 1) {
            SweepRequest.Slice only = new SweepRequest.Slice(request.sweep(), registries.get(0), 0);
            Log.putContext("account", only.registry().account());
            Log.putContext("region", only.registry().region());
            Log.putContext("step", "0");
            return answer(registrySweep.run(only, metrics, deadline), "the sweep of " + only.registry());
        }
        for (AccountRegion registry : registries) {
            invoker.start(new SweepRequest.Slice(request.sweep(), registry, 0));
        }
        return answer(GuardOutcome.SWEPT, "started the sweep of " + registries.size() + " registries");
    }

    private static GuardResponse answer(GuardOutcome outcome, String summary) {
        return new GuardResponse(outcome, summary, Optional.empty(), Optional.empty());
    }

    /** Every account swept, in every region swept; the function's own account first. */
    List<AccountRegion> registries(AccountRegion own) {
        List<String> accounts = new ArrayList<>(List.of(own.account()));
        if (settings.accounts() instanceof SweepSettings.Accounts.Listed listed) {
            accounts = new ArrayList<>(listed.accounts());
        } else if (settings.accounts() instanceof SweepSettings.Accounts.Organization) {
            try {
                List<String> organization = ports.organizationAccounts();
                organization.stream().filter(account -> !account.equals(own.account())).forEach(accounts::add);
            } catch (ServiceFailure e) {
                if (e.retryable()) {
                    throw e;
                }
                Log.error("could not list the organization's accounts; sweeping this account only: "
                        + e.getMessage(), null);
            }
        }
        List<String> regions = settings.regions().isEmpty() ? List.of(own.region()) : settings.regions();
        List<AccountRegion> registries = new ArrayList<>();
        for (String account : accounts) {
            for (String region : regions) {
                registries.add(AccountRegion.of(account, region));
            }
        }
        return registries;
    }
}
