package dev.ecrdigestguard.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.SweepSettings;
import dev.ecrdigestguard.event.SweepEventReader;
import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.AccountAccessException;
import dev.ecrdigestguard.guard.DeadlinePassedException;
import dev.ecrdigestguard.guard.GuardOutcome;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.retag.FakeRewriting;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.testing.InMemoryLedger;
import dev.ecrdigestguard.testing.InMemoryRiskRegister;
import dev.ecrdigestguard.testing.InMemorySweepState;
import dev.ecrdigestguard.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The scheduled sweep through its ports, with the function's other parts in memory: a sweep larger than one
 * invocation goes on in the next ones (every repository judged once), alerts are de-duplicated across sweeps, and
 * an organization's accounts are fanned out, an unreachable one skipped.
 */
class SweeperTest {

    static final AccountRegion OWN = AccountRegion.of("123456789012", "eu-west-1");
    static final Instant T0 = Instant.parse("2024-03-01T06:00:00Z");
    /** Each invocation may run this long; see SweepPlan: repositories start until 60% of 75% of it. */
    static final Duration INVOCATION = Duration.ofSeconds(10);
    /** Reading one repository takes this long on the test's clock. */
    static final Duration READ = Duration.ofSeconds(1);
    /** Keep the newest production image only: a release on an old digest is taken out of turn. */
    static final String KEEP_ONE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"Keep last production image\","
            + "\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"tag-\"],\"countType\":"
            + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
    static final Digest OLD = Digest.of("sha256:" + "a".repeat(64));
    static final Digest NEWER = Digest.of("sha256:" + "b".repeat(64));

    final MutableClock clock = new MutableClock(T0);
    final Registry registry = new Registry();
    final InMemoryLedger ledger = new InMemoryLedger();
    final InMemoryRiskRegister risks = new InMemoryRiskRegister();
    final InMemorySweepState state = new InMemorySweepState();
    final List<GuardReport> alerts = Collections.synchronizedList(new ArrayList<>());
    final Deque<SweepRequest.Slice> handedOn = new ArrayDeque<>();
    final Set<AccountRegion> unreachable = ConcurrentHashMap.newKeySet();
    List<String> organization = List.of();
    /** MODE=RETAG when set: the re-tagger the sweep's ports carry. */
    Optional<Retagger> retagger = Optional.empty();
    /** The catalog the sweep reads; the counting registry unless a test swaps it. */
    ImageCatalog catalog = registry;

    /** A registry in memory whose reads take {@link #READ} on the test's clock and are counted. */
    final class Registry implements ImageCatalog, RepositoryLister {
        final Map<RepositoryName, List<ImageRecord>> images = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        final Map<RepositoryName, String> policies = new ConcurrentHashMap<>();
        final Map<RepositoryName, Integer> reads = new ConcurrentHashMap<>();

        void repository(String name, String policy, ImageRecord... contents) {
            images.put(RepositoryName.of(name), List.of(contents));
            if (policy != null) {
                policies.put(RepositoryName.of(name), policy);
            }
        }

        @Override
        public void forEachRepository(Consumer<RepositoryName> consumer) {
            List.copyOf(images.keySet()).forEach(consumer);
        }

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            return images.get(repository).stream().filter(image -> image.digest().equals(digest)).findFirst();
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            return Optional.ofNullable(policies.get(repository));
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            reads.merge(repository, 1, Integer::sum);
            clock.advance(READ);
            images.get(repository).forEach(consumer);
        }

        @Override
        public void forEachImage(RepositoryName repository, Instant deadline, Consumer<ImageRecord> consumer) {
            forEachImage(repository, image -> {
                if (clock.instant().isAfter(deadline)) {
                    throw new DeadlinePassedException("listing the images of " + repository, deadline);
                }
                consumer.accept(image);
            });
        }
    }

    /** An old release re-released on its digest (tag-3): by push time it is behind tag-2, by release time ahead. */
    void releaseOnAnOldDigest(String repository) {
        registry.repository(repository, KEEP_ONE,
                ImageRecord.of(OLD, List.of(Tag.of("tag-1"), Tag.of("tag-3")), T0.minus(Duration.ofDays(20))),
                ImageRecord.of(NEWER, List.of(Tag.of("tag-2")), T0.minus(Duration.ofDays(10))));
        ledger.record(new RepositoryLocation(OWN.account(), OWN.region(), RepositoryName.of(repository)), "tag-3",
                OLD, T0.minus(Duration.ofDays(2)));
    }

    Sweeper sweeper(SweepSettings settings) {
        GuardConfig config = GuardConfig.forFunction(Map.of(GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard"));
        return new Sweeper(config, settings, ports(registry), state, handedOn::add, clock, 1);
    }

    /** The sweep's ports over the test's registry, channels, ledger and register. */
    SweepPorts ports(RepositoryLister lister) {
        Notifier channel = new Notifier() {
            @Override
            public String channel() {
                return "test";
            }

            @Override
            public void send(GuardReport report) {
                alerts.add(report);
            }
        };
        AlertFanOut fanOut = new AlertFanOut(List.of(channel));
        PortsByRegistry guard = new PortsByRegistry() {
            @Override
            public GuardPorts forRegistry(AccountRegion target) {
                if (unreachable.contains(target)) {
                    throw new AccountAccessException(target, "arn:aws:iam::" + target.account()
                            + ":role/ecr-digest-guard-member", "AccessDenied: not authorized to assume the role",
                            false, null);
                }
                return new GuardPorts(catalog, fanOut, retagger, ledger, risks);
            }

            @Override
            public AlertFanOut alerts() {
                return fanOut;
            }
        };
        SweepPorts ports = new SweepPorts() {
            @Override
            public PortsByRegistry guard() {
                return guard;
            }

            @Override
            public RepositoryLister repositories(AccountRegion target) {
                guard.forRegistry(target);
                return lister;
            }

            @Override
            public PushHistory history(AccountRegion target) {
                return (from, to, token) -> new PushHistory.Page(List.of(), 0, Optional.empty());
            }

            @Override
            public List<String> organizationAccounts() {
                return organization;
            }
        };
        return ports;
    }

    /** One tick of the schedule and every invocation it leads to; returns how many invocations ran. */
    int sweep(Sweeper sweeper, GuardMetrics metrics) {
        SweepRequest.Scheduled tick = new SweepRequest.Scheduled(clock.instant(), "execution-1");
        GuardOutcome outcome = sweeper.respond(new SweepEventReader.Reading.Request(tick), OWN, metrics,
                clock.instant().plus(INVOCATION)).outcome();
        assertThat(outcome).isEqualTo(GuardOutcome.SWEPT);
        return 1 + handOn(sweeper, metrics);
    }

    /** Runs every invocation handed on, until none is; returns how many ran. */
    int handOn(Sweeper sweeper, GuardMetrics metrics) {
        int invocations = 0;
        while (!handedOn.isEmpty()) {
            SweepRequest.Slice next = handedOn.poll();
            // Each invocation reads its event as the function does: the hand-over is a sweep event on the wire.
            SweepEventReader.Reading reading = SweepEventReader.read(
                    next.toJson().getBytes(StandardCharsets.UTF_8));
            assertThat(sweeper.respond(reading, OWN, metrics, clock.instant().plus(INVOCATION)).outcome())
                    .isEqualTo(GuardOutcome.SWEPT);
            invocations++;
        }
        return invocations;
    }

    @Test
    void sweep_tooLargeForOneInvocation_goesOnInTheNext_judgingEveryRepositoryExactlyOnce() {
        // GIVEN 12 repositories, one a second to read: 5 fit in a 10-second invocation, so the sweep needs three
        IntStream.rangeClosed(1, 11).forEach(i -> registry.repository(String.format("app-%02d", i), KEEP_ONE,
                ImageRecord.of(NEWER, List.of(Tag.of("tag-2")), T0.minus(Duration.ofDays(10)))));
        releaseOnAnOldDigest("app-12");
        GuardMetrics metrics = new GuardMetrics();

        // WHEN the schedule ticks and each invocation hands the rest to the next
        int invocations = sweep(sweeper(SweepSettings.ownRegistry(Optional.of("ledger"))), metrics);

        // THEN three invocations judged every repository exactly once, and the one at risk was alerted
        assertThat(invocations).isEqualTo(3);
        assertThat(registry.reads).hasSize(12).allSatisfy((repository, reads) -> assertThat(reads).as(
                repository.value()).isEqualTo(1));
        assertThat(metrics.value(GuardMetrics.REPOSITORIES_SWEPT)).isEqualTo(12);
        assertThat(metrics.value(GuardMetrics.RELEASES_AT_RISK)).isEqualTo(1);
        assertThat(alerts).singleElement().satisfies(report -> assertThat(report.findings())
                .extracting(Finding::kind, finding -> finding.tag().value())
                .containsExactly(Tuple.tuple(Finding.Kind.LIFECYCLE_EXPIRY, "tag-3")));
        SweepRequest.Slice first = new SweepRequest.Slice(T0, OWN, 0);
        assertThat(state.progress(first)).get().satisfies(progress -> {
            assertThat(progress.done()).isTrue();
            assertThat(progress.step()).isEqualTo(3);
            assertThat(progress.judged()).isEqualTo(12);
            assertThat(progress.atRisk()).isEqualTo(1);
        });
    }

    @Test
    void step_deliveredTwice_isRunOnce() {
        // GIVEN a sweep of 12 repositories whose first hand-over Lambda delivers twice
        IntStream.rangeClosed(1, 12).forEach(i -> registry.repository(String.format("app-%02d", i), KEEP_ONE,
                ImageRecord.of(NEWER, List.of(Tag.of("tag-2")), T0.minus(Duration.ofDays(10)))));
        Sweeper sweeper = sweeper(SweepSettings.ownRegistry(Optional.of("ledger")));
        GuardMetrics metrics = new GuardMetrics();
        sweeper.respond(new SweepEventReader.Reading.Request(new SweepRequest.Scheduled(T0, "e")), OWN, metrics,
                clock.instant().plus(INVOCATION));
        SweepRequest.Slice second = handedOn.peek();

        // WHEN the duplicate arrives after the step was run (and handed on)
        handOn(sweeper, metrics);
        GuardOutcome duplicate = sweeper.respond(new SweepEventReader.Reading.Request(second), OWN, metrics,
                clock.instant().plus(INVOCATION)).outcome();

        // THEN it does nothing: every repository was read once
        assertThat(duplicate).isEqualTo(GuardOutcome.SWEEP_NOT_NEEDED);
        assertThat(registry.reads.values()).hasSize(12).containsOnly(1);
    }

    @Test
    void releaseAtRisk_isAlertedOnce_remindedAfter24Hours_andResolvedWhenThePolicyNoLongerTakesIt() {
        // GIVEN a release the policy takes out of turn
        releaseOnAnOldDigest("shop-api");
        Sweeper sweeper = sweeper(SweepSettings.ownRegistry(Optional.of("ledger")));

        // WHEN the sweep runs every six hours: four sweeps in the first day, then one more
        List<Integer> alertsAfterEachSweep = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sweep(sweeper, new GuardMetrics());
            alertsAfterEachSweep.add(alerts.size());
            clock.advance(Duration.ofHours(6));
        }
        // and then someone removes the policy
        registry.policies.clear();
        sweep(sweeper, new GuardMetrics());

        // THEN one alert when found, one reminder a day later, one RESOLVED notice
        assertThat(alertsAfterEachSweep).containsExactly(1, 1, 1, 1, 2);
        assertThat(alerts).extracting(report -> report.findings().get(0).kind()).containsExactly(
                Finding.Kind.LIFECYCLE_EXPIRY, Finding.Kind.LIFECYCLE_EXPIRY, Finding.Kind.RESOLVED);
        assertThat(alerts.get(2).findings().get(0).explanation()).contains("no lifecycle policy");
        assertThat(risks.atRisk(new RepositoryLocation(OWN.account(), OWN.region(), RepositoryName.of("shop-api"))))
                .isEmpty();
    }

    @Test
    void organizationSweep_fansOutOneInvocationPerAccountAndRegion_andSkipsAnAccountThatRefusesTheRole() {
        // GIVEN an organization of three accounts in two regions, one account refusing the guard's role
        releaseOnAnOldDigest("shop-api");
        organization = List.of("123456789012", "210987654321", "333333333333");
        unreachable.add(AccountRegion.of("333333333333", "eu-west-1"));
        unreachable.add(AccountRegion.of("333333333333", "us-east-1"));
        SweepSettings settings = new SweepSettings(Optional.empty(), new SweepSettings.Accounts.Organization(),
                List.of("eu-west-1", "us-east-1"), Optional.of("ledger"));
        GuardMetrics metrics = new GuardMetrics();

        // WHEN the schedule ticks
        Sweeper sweeper = sweeper(settings);
        GuardOutcome tick = sweeper.respond(new SweepEventReader.Reading.Request(new SweepRequest.Scheduled(T0,
                "e")), OWN, metrics, clock.instant().plus(INVOCATION)).outcome();
        List<AccountRegion> fannedOut = handedOn.stream().map(SweepRequest.Slice::registry).toList();
        handOn(sweeper, metrics);

        // THEN one invocation per account and region, the unreachable account counted and skipped, the rest swept
        assertThat(tick).isEqualTo(GuardOutcome.SWEPT);
        assertThat(fannedOut).containsExactly(OWN, AccountRegion.of("123456789012", "us-east-1"),
                AccountRegion.of("210987654321", "eu-west-1"), AccountRegion.of("210987654321", "us-east-1"),
                AccountRegion.of("333333333333", "eu-west-1"), AccountRegion.of("333333333333", "us-east-1"));
        assertThat(metrics.value(GuardMetrics.ACCOUNTS_UNREACHABLE)).isEqualTo(2);
        assertThat(metrics.value(GuardMetrics.REPOSITORIES_SWEPT)).isEqualTo(4);
    }

    /** An in-memory registry seen as ECR shows it: each digest with its tags, a push time, and the policy. */
    final class RegistryAsEcr implements ImageCatalog, RepositoryLister {
        final InMemoryRegistry images;
        final Map<Digest, Instant> pushedAt = new ConcurrentHashMap<>();

        RegistryAsEcr(InMemoryRegistry images) {
            this.images = images;
        }

        @Override
        public void forEachRepository(Consumer<RepositoryName> consumer) {
            consumer.accept(images.repository);
        }

        List<ImageRecord> records() {
            Map<Digest, List<Tag>> tags = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
            images.listTags(images.repository).forEach(tag -> tags.computeIfAbsent(
                    images.digestOf(tag.value()).orElseThrow(), digest -> new ArrayList<>()).add(tag));
            return tags.entrySet().stream().map(entry -> ImageRecord.of(entry.getKey(), entry.getValue(),
                    pushedAt.computeIfAbsent(entry.getKey(), digest -> clock.instant()))).toList();
        }

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            return records().stream().filter(image -> image.digest().equals(digest)).findFirst();
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            return Optional.of(KEEP_ONE);
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            records().forEach(consumer);
        }

        @Override
        public void forEachImage(RepositoryName repository, Instant deadline, Consumer<ImageRecord> consumer) {
            forEachImage(repository, consumer);
        }
    }

    static Manifest image(String layer) {
        return Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + FakeRewriting.OCI + "\",\"config\":{},"
                + "\"layers\":[\"" + layer + "\"]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);
    }

    @Test
    void retagMode_rescuesAReleaseTheSweepFindsAtRisk_tellsSo_andTheNextSweepIsQuiet() {
        // GIVEN MODE=RETAG and tag-3 re-released on tag-1's old image, behind tag-2's by push time
        InMemoryRegistry images = new InMemoryRegistry(RepositoryName.of("shop-api"))
                .put(image("old"), "tag-1", "tag-3").put(image("newer"), "tag-2");
        RegistryAsEcr ecr = new RegistryAsEcr(images);
        Digest old = images.digestOf("tag-1").orElseThrow();
        ecr.pushedAt.put(old, T0.minus(Duration.ofDays(20)));
        ecr.pushedAt.put(images.digestOf("tag-2").orElseThrow(), T0.minus(Duration.ofDays(10)));
        ledger.record(new RepositoryLocation(OWN.account(), OWN.region(), images.repository), "tag-3", old,
                T0.minus(Duration.ofDays(2)));
        catalog = ecr;
        retagger = Optional.of(new Retagger(images, new FakeRewriting(), ProductionTags.parse("tag-*"), false));
        Sweeper sweeper = new Sweeper(GuardConfig.forFunction(Map.of(GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard", GuardConfig.MODE, "RETAG")),
                SweepSettings.ownRegistry(Optional.of("ledger")), ports(ecr), state, handedOn::add, clock, 1);

        // WHEN the sweep runs, and again six hours later
        GuardMetrics first = new GuardMetrics();
        sweep(sweeper, first);
        clock.advance(Duration.ofHours(6));
        sweep(sweeper, new GuardMetrics());

        // THEN tag-3 has an image of its own, the rescue was told once, and nothing is left at risk
        assertThat(images.digestOf("tag-3")).get().isNotEqualTo(old);
        assertThat(images.digestOf("tag-1")).contains(old);
        assertThat(alerts).singleElement().satisfies(report -> assertThat(report.findings())
                .extracting(Finding::kind).containsExactly(Finding.Kind.RETAGGED));
        assertThat(first.value(GuardMetrics.RELEASES_AT_RISK)).isZero();
        assertThat(risks.atRisk(new RepositoryLocation(OWN.account(), OWN.region(), images.repository))).isEmpty();
    }
}
