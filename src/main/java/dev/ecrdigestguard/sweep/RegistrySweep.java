package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.config.SweepSettings;
import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.guard.AccountAccessException;
import dev.ecrdigestguard.guard.DeadlinePassedException;
import dev.ecrdigestguard.guard.GuardOutcome;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.guard.RepositoryScan;
import dev.ecrdigestguard.guard.RepositorySweep;
import dev.ecrdigestguard.guard.RiskRecord;
import dev.ecrdigestguard.guard.ScanOutcome;
import dev.ecrdigestguard.guard.ScanSummary;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One step of one registry's part of a sweep, in one invocation: claim the step, finish the registry's backfill from
 * CloudTrail first if it isn't, then judge repositories in name order from where the last step stopped — read through
 * {@link RepositoryScan} (bounded concurrency, slowing down when throttled, one repository's failure its own), each
 * judged by {@link RepositorySweep} with a 24-hour horizon and rescued in MODE=RETAG, each one's alerts told by
 * {@link SweepAlerts} as it completes — until the {@link SweepPlan} says stop; then record where it got to and invoke
 * the function again for the rest.
 *
 * <p>Every repository is judged once per sweep: the cursor moves past a repository only once it has been started, a
 * repository cut short by the end of an invocation is carried to the next one (and reported, not retried again, if it
 * can't be read in a whole invocation), and a step is run only by the invocation that claimed it.
 */
final class RegistrySweep {

    /** How far ahead the sweep looks: age rules move with time, so a release due tomorrow is warned about today. */
    static final Duration HORIZON = Duration.ofHours(24);

    private final SweepSettings settings;
    private final ProductionTags productionTags;
    private final RepositoryPatterns silenced;
    private final SweepPorts ports;
    private final SweepState state;
    private final SliceInvoker invoker;
    private final Clock clock;
    private final int concurrency;

    RegistrySweep(SweepSettings settings, ProductionTags productionTags, RepositoryPatterns silenced, SweepPorts ports,
                  SweepState state, SliceInvoker invoker, Clock clock, int concurrency) {
        this.settings = settings;
        this.productionTags = productionTags;
        this.silenced = silenced;
        this.ports = ports;
        this.state = state;
        this.invoker = invoker;
        this.clock = clock;
        this.concurrency = concurrency;
    }

    /** A repository judged, with what the register held for it and what became of the records no longer at risk. */
    private record Judged(RepositoryLocation location, RepositorySweep.Result result, List<RiskRecord> records,
                          Map<String, SweepAlerts.Fate> fates) {
    }

    GuardOutcome run(SweepRequest.Slice slice, GuardMetrics metrics, Instant deadline) {
        Instant now = clock.instant();
        SweepState.Claim claim = state.claim(slice, now, deadline);
        if (claim instanceof SweepState.Claim.HandedOn) {
            Log.info("step already done; handing the registry's sweep on again in case that was lost");
            invoker.start(slice.next());
            return GuardOutcome.SWEEP_NOT_NEEDED;
        }
        if (!(claim instanceof SweepState.Claim.Claimed claimed)) {
            Log.info(claim instanceof SweepState.Claim.Finished ? "the registry's sweep is finished"
                    : "the step is taken by another invocation");
            return GuardOutcome.SWEEP_NOT_NEEDED;
        }
        SweepState.Progress progress = claimed.progress();
        SweepPlan plan = SweepPlan.of(now, deadline);
        AccountRegion registry = slice.registry();
        GuardPorts registryPorts;
        List<RepositoryName> listed = new ArrayList<>();
        try {
            registryPorts = ports.guard().forRegistry(registry);
            Consumer<RepositoryName> keep = name -> {
                if (settings.includes(name.value())) {
                    listed.add(name);
                }
            };
            ports.repositories(registry).forEachRepository(keep);
        } catch (AccountAccessException e) {
            if (e.retryable()) {
                throw e;
            }
            metrics.count(GuardMetrics.ACCOUNTS_UNREACHABLE, 1);
            Log.error("ACCOUNT_UNREACHABLE: the sweep cannot read account " + registry.account() + " and skips it: "
                    + e.getMessage(), null, "findingKind", "ACCOUNT_UNREACHABLE", "roleArn", e.roleArn());
            state.advance(slice, new SweepState.Progress(progress.step() + 1, progress.cursor(), List.of(),
                    progress.judged(), progress.notJudged(), progress.atRisk(), true));
            return GuardOutcome.SWEPT;
        } catch (ServiceFailure e) {
            if (e.retryable()) {
                throw e;
            }
            Log.error("the sweep cannot list the repositories of " + registry.describe() + " and skips it: "
                    + e.getMessage(), null);
            state.advance(slice, new SweepState.Progress(progress.step() + 1, progress.cursor(), List.of(),
                    progress.judged(), progress.notJudged(), progress.atRisk(), true));
            return GuardOutcome.SWEPT;
        }

        if (!backfilled(registry, registryPorts, now, plan)) {
            handOn(slice, new SweepState.Progress(progress.step() + 1, progress.cursor(), progress.carriedOver(),
                    progress.judged(), progress.notJudged(), progress.atRisk(), false));
            return GuardOutcome.SWEPT;
        }

        Set<RepositoryName> carried = new LinkedHashSet<>(progress.carriedOver());
        TreeSet<RepositoryName> rest = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
        listed.stream().filter(name -> name.value().compareTo(progress.cursor()) >= 0 && !carried.contains(name))
                .forEach(rest::add);
        carried.retainAll(listed);
        List<RepositoryName> order = new ArrayList<>(carried);
        order.addAll(rest);

        Set<RepositoryName> cutShort = ConcurrentHashMap.newKeySet();
        ImageCatalog reading = new ReadingUntil(registryPorts.catalog(), plan.readUntil(), clock, cutShort);
        RepositorySweep judge = new RepositorySweep(productionTags, reading, registryPorts.ledger(),
                registryPorts.retagger());
        SweepAlerts alerts = new SweepAlerts(registryPorts.alerts(), registryPorts.risks(), silenced, metrics,
                slice.sweepId(), registry);
        Set<RepositoryName> carryOn = new LinkedHashSet<>();
        long[] counts = new long[3]; // judged, not judged, at risk
        ScanSummary summary = new RepositoryScan(reading,
                RepositoryScan.Settings.of(concurrency).until(plan.startUntil()), clock)
                .scan(each -> order.forEach(each), contents -> {
                    RepositoryLocation location = new RepositoryLocation(registry.account(), registry.region(),
                            contents.repository());
                    RepositorySweep.Result result = judge.judge(location, contents, plan.start(), HORIZON);
                    List<RiskRecord> records = registryPorts.risks().atRisk(location);
                    return new Judged(location, result, records, SweepAlerts.fates(records, result.findings(),
                            result.audit().orElseThrow(), contents.images()));
                }, outcome -> {
                    if (outcome instanceof ScanOutcome.Read<Judged> read) {
                        Judged judged = read.result();
                        counts[0]++;
                        judged.result().notes().forEach(note -> Log.warn(note, "repository",
                                judged.location().name().value()));
                        counts[2] += alerts.tell(judged.location(), judged.result().audit().orElseThrow(),
                                judged.result().findings(), judged.records(), judged.fates(), plan.start(),
                                plan.deadline());
                    } else if (outcome instanceof ScanOutcome.Failed<Judged> failed) {
                        RepositoryName name = failed.repository();
                        if (cutShort.contains(name) && !carried.contains(name)) {
                            carryOn.add(name);
                            Log.info("reading the repository was cut short by the end of the invocation; the next "
                                    + "one judges it first", "repository", name.value());
                        } else {
                            counts[1]++;
                            Log.warn("repository not judged: " + failed.failure().reason()
                                    + (cutShort.contains(name) ? " (it could not be read in a whole invocation; run"
                                            + " audit on it)" : ""), "repository", name.value());
                        }
                    }
                });

        List<RepositoryName> notReached = summary.notReached();
        notReached.stream().filter(carried::contains).forEach(carryOn::add);
        Optional<RepositoryName> cursor = notReached.stream().filter(name -> !carried.contains(name)).findFirst();
        boolean done = cursor.isEmpty() && carryOn.isEmpty();
        metrics.count(GuardMetrics.REPOSITORIES_SWEPT, counts[0]);
        metrics.count(GuardMetrics.REPOSITORIES_NOT_JUDGED, counts[1]);
        metrics.count(GuardMetrics.RELEASES_AT_RISK, counts[2]);
        SweepState.Progress next = new SweepState.Progress(progress.step() + 1,
                cursor.map(RepositoryName::value).orElse(progress.cursor()), List.copyOf(carryOn),
                progress.judged() + counts[0], progress.notJudged() + counts[1], progress.atRisk() + counts[2], done);
        long remaining = notReached.size();
        Log.info(done ? "the registry's sweep is finished" : "sweep step done; the next invocation goes on",
                "repositoriesListed", listed.size(), "repositoriesJudged", counts[0],
                "repositoriesNotJudged", counts[1], "releasesAtRisk", counts[2], "repositoriesLeft", remaining,
                "stepsLeftEstimate", counts[0] == 0 ? remaining : (remaining + counts[0] - 1) / counts[0],
                "sweepRepositoriesJudged", next.judged(), "sweepReleasesAtRisk", next.atRisk());
        handOn(slice, next);
        return GuardOutcome.SWEPT;
    }

    /**
     * Whether the registry's releases from before the guard are in the ledger: the first sweep of a registry reads
     * 90 days of CloudTrail first (within the plan's share of the invocation, going on in the next if it must).
     */
    private boolean backfilled(AccountRegion registry, GuardPorts registryPorts, Instant now, SweepPlan plan) {
        Optional<LedgerBackfill.Progress> known = state.backfill(registry);
        if (known.isPresent() && known.get().done()) {
            return true;
        }
        LedgerBackfill backfill = new LedgerBackfill(ports.history(registry), registryPorts.ledger(),
                productionTags, location -> location.account().equals(registry.account())
                        && location.region().equals(registry.region()) && settings.includes(location.name().value()),
                clock);
        LedgerBackfill.Progress progress = backfill.run(known.orElse(LedgerBackfill.Progress.start(now,
                LedgerBackfill.WINDOW)), plan.backfillUntil());
        state.recordBackfill(registry, progress);
        return progress.done();
    }

    /** Records the step's progress and, unless the registry is done, invokes the function for the next step. */
    private void handOn(SweepRequest.Slice slice, SweepState.Progress next) {
        if (!state.advance(slice, next)) {
            Log.warn("the step's claim ran out and another invocation took it; not handing on");
            return;
        }
        if (!next.done()) {
            invoker.start(slice.next());
        }
    }

    /**
     * The catalog, reading a repository's images only until the plan's last moment for reads: a repository still
     * being read then is cut short (noted, so the next invocation takes it first) rather than running the invocation
     * into its timeout.
     */
    private static final class ReadingUntil implements ImageCatalog {
        private final ImageCatalog catalog;
        private final Instant until;
        private final Clock clock;
        private final Set<RepositoryName> cutShort;

        ReadingUntil(ImageCatalog catalog, Instant until, Clock clock, Set<RepositoryName> cutShort) {
            this.catalog = catalog;
            this.until = until;
            this.clock = clock;
            this.cutShort = cutShort;
        }

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            return catalog.describeImage(repository, digest);
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            return catalog.lifecyclePolicyText(repository);
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            try {
                catalog.forEachImage(repository, until, image -> {
                    if (clock.instant().isAfter(until)) {
                        throw new DeadlinePassedException("listing the images of " + repository, until);
                    }
                    consumer.accept(image);
                });
            } catch (DeadlinePassedException e) {
                cutShort.add(repository);
                throw e;
            }
        }
    }
}
