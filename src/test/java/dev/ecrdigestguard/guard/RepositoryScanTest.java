package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RepositoryScanTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** Retries due at once: these tests are about what is retried, not how long the scan waits. */
    static final Duration NO_DELAY = Duration.ZERO;

    private final ScriptedCatalog catalog = new ScriptedCatalog();
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopBackground() {
        catalog.openAllGates();
        background.shutdownNow();
    }

    @Test
    void scan_readsEveryRepository_andHandsItsImagesAndPolicyToTheWork() {
        // GIVEN two repositories, one with a lifecycle policy
        catalog.images(name("shop-api"), 3);
        catalog.images(name("shop-web"), 1);
        catalog.policies.put(name("shop-api"), "{\"rules\":[]}");
        List<ScanOutcome<String>> outcomes = new ArrayList<>();

        // WHEN
        ScanSummary summary = scan(settings(2), lister("shop-api", "shop-web"),
                contents -> contents.repository() + ":" + contents.images().size() + ":"
                        + contents.lifecyclePolicy().orElse("none"),
                outcomes::add);

        // THEN
        assertThat(outcomes).extracting(outcome -> ((ScanOutcome.Read<String>) outcome).result())
                .containsExactlyInAnyOrder("shop-api:3:{\"rules\":[]}", "shop-web:1:none");
        assertThat(summary.listed()).isEqualTo(2);
        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.complete()).isTrue();
        assertThat(summary.lowestConcurrency()).isEqualTo(2);
    }

    @Test
    void scan_neverReadsMoreRepositoriesAtATime_thanTheConcurrency() throws Exception {
        // GIVEN twenty repositories whose first reads wait until the test lets them go
        List<String> names = names(20);
        names.forEach(repository -> catalog.gate(name(repository)));

        // WHEN the scan runs with a limit of four
        Future<ScanSummary> scan = background.submit(() -> scan(settings(4), lister(names), contents -> 1,
                outcome -> { }));

        // THEN four reads start, and no fifth while they are held
        catalog.awaitStarted(4);
        Thread.sleep(100);
        assertThat(catalog.started()).hasSize(4);
        catalog.openAllGates();
        assertThat(scan.get(10, TimeUnit.SECONDS).read()).isEqualTo(20);
        assertThat(catalog.maxInFlight.get()).isEqualTo(4);
    }

    @Test
    void scan_withConcurrencyOne_readsRepositoriesOneAfterAnother_inListingOrder() {
        List<String> names = names(6);

        ScanSummary summary = scan(settings(1), lister(names), contents -> 1, outcome -> { });

        assertThat(summary.read()).isEqualTo(6);
        assertThat(catalog.maxInFlight.get()).isEqualTo(1);
        assertThat(catalog.started()).extracting(RepositoryName::value).containsExactlyElementsOf(names);
    }

    @Test
    void scan_handsOutcomesOver_inTheOrderRepositoriesFinish_onTheCallingThread() {
        // GIVEN the first repository listed is slow: it finishes only after the two others were handed over
        CountDownLatch twoHandedOver = new CountDownLatch(2);
        catalog.waitBeforeAnswering(name("slow-repo"), twoHandedOver);
        List<String> order = new ArrayList<>();
        List<Thread> consumerThreads = new ArrayList<>();

        // WHEN
        scan(settings(3), lister("slow-repo", "fast-1", "fast-2"), contents -> 1, outcome -> {
            order.add(outcome.repository().value());
            consumerThreads.add(Thread.currentThread());
            twoHandedOver.countDown();
        });

        // THEN the fast ones came first, and every outcome reached the consumer on the thread that called scan
        assertThat(order).hasSize(3).endsWith("slow-repo").contains("fast-1", "fast-2");
        assertThat(consumerThreads).containsOnly(Thread.currentThread());
    }

    @Test
    void scan_reportsARepositoryThatCannotBeReadOrJudged_withItsReason_andGoesOn() {
        // GIVEN one repository ECR refuses, one whose data the work rejects, one that hits a bug in the work
        catalog.failures(name("denied"), new CatalogException(
                "ecr:DescribeImages on repository 'denied' failed: AccessDeniedException (HTTP 400): no", false, null));
        catalog.images(name("bad-tag"), 1);
        List<ScanOutcome<Integer>> outcomes = new ArrayList<>();

        // WHEN
        ScanSummary summary = scan(settings(2), lister("denied", "ok-1", "bad-tag", "buggy", "ok-2"), contents -> {
            if (contents.repository().value().equals("bad-tag")) {
                throw new IllegalArgumentException("invalid tag 'x y': expected a tag");
            }
            if (contents.repository().value().equals("buggy")) {
                throw new NullPointerException("a bug");
            }
            return 1;
        }, outcomes::add);

        // THEN the other repositories were read, and each failure was reported once, with its reason, untried again
        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.failed()).extracting(RepositoryFailure::repository, RepositoryFailure::retryable,
                        RepositoryFailure::attempts)
                .containsExactlyInAnyOrder(
                        tuple(name("denied"), false, 1),
                        tuple(name("bad-tag"), false, 1),
                        tuple(name("buggy"), false, 1));
        assertThat(summary.failed()).extracting(RepositoryFailure::reason).containsExactlyInAnyOrder(
                "ecr:DescribeImages on repository 'denied' failed: AccessDeniedException (HTTP 400): no",
                "invalid tag 'x y': expected a tag",
                "java.lang.NullPointerException: a bug");
        assertThat(outcomes).filteredOn(outcome -> outcome instanceof ScanOutcome.Failed).hasSize(3);
        assertThat(catalog.reads(name("denied"))).isEqualTo(1);
        assertThat(summary.retries()).isZero();
        assertThat(summary.complete()).isFalse();
    }

    @Test
    void scan_retriesARetryableFailure_andReadsTheRepository() {
        // GIVEN a repository throttled once beyond what the SDK absorbed
        catalog.failures(name("hot"), throttled("hot"));
        List<ScanOutcome<Integer>> outcomes = new ArrayList<>();

        // WHEN
        ScanSummary summary = scan(settings(4), lister(names(5, "hot")), contents -> 1, outcomes::add);

        // THEN it was read on the second attempt, and the scan slowed down
        assertThat(summary.read()).isEqualTo(6);
        assertThat(summary.failed()).isEmpty();
        assertThat(summary.retries()).isEqualTo(1);
        assertThat(summary.lowestConcurrency()).isEqualTo(2);
        assertThat(catalog.reads(name("hot"))).isEqualTo(2);
        assertThat(outcomes).allMatch(outcome -> outcome instanceof ScanOutcome.Read);
    }

    @Test
    void scan_startsADueRetry_beforeTheNextRepositoryListed() {
        catalog.failures(name("hot"), throttled("hot"));

        scan(settings(1), lister("hot", "calm-1", "calm-2"), contents -> 1, outcome -> { });

        assertThat(catalog.started()).extracting(RepositoryName::value)
                .containsExactly("hot", "hot", "calm-1", "calm-2");
    }

    @Test
    void scan_triesARepositoryAtMostTheAttemptsSetting_thenReportsItsLastFailure() {
        catalog.failures(name("hot"), throttled("hot"), throttled("hot"), throttled("hot"), throttled("hot"));

        ScanSummary summary = scan(settings(2), lister("hot", "calm"), contents -> 1, outcome -> { });

        assertThat(catalog.reads(name("hot"))).isEqualTo(3);
        assertThat(summary.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.repository()).isEqualTo(name("hot"));
            assertThat(failure.reason()).contains("ThrottlingException");
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.attempts()).isEqualTo(3);
        });
        assertThat(summary.read()).isEqualTo(1);
        assertThat(summary.retries()).isEqualTo(2);
    }

    @Test
    void scan_slowsDown_afterARetryableFailure_untilReadsSucceedAgain() throws Exception {
        // GIVEN four repositories held in their reads under a limit of four, and four more waiting; one attempt each,
        // so the throttled repository is handed over at once and the test knows the scan has taken it in
        List<String> names = names(8);
        names.forEach(repository -> catalog.gate(name(repository)));
        catalog.failures(name("repo-0"), throttled("repo-0"));
        BlockingQueue<String> handedOver = new LinkedBlockingQueue<>();
        Future<ScanSummary> scan = background.submit(() -> scan(settings(4).retrying(1, NO_DELAY), lister(names),
                contents -> 1, outcome -> handedOver.add(outcome.repository().value())));
        catalog.awaitStarted(4);

        // WHEN the first fails retryably (the limit halves to 2; 3 running), then one more finishes (2 running)
        catalog.openGate(name("repo-0"));
        assertThat(handedOver.poll(5, TimeUnit.SECONDS)).isEqualTo("repo-0");
        catalog.openGate(name("repo-1"));
        assertThat(handedOver.poll(5, TimeUnit.SECONDS)).isEqualTo("repo-1");
        Thread.sleep(100);

        // THEN nothing new started: two are running, as many as the halved limit allows
        assertThat(catalog.started()).hasSize(4);

        // WHEN another finishes (a window of two successes: the limit grows to 3, one is running)
        catalog.openGate(name("repo-2"));
        assertThat(handedOver.poll(5, TimeUnit.SECONDS)).isEqualTo("repo-2");

        // THEN two more start, and no third; in the end every other repository is read
        catalog.awaitStarted(6);
        Thread.sleep(100);
        assertThat(catalog.started()).extracting(RepositoryName::value)
                .containsExactlyInAnyOrder("repo-0", "repo-1", "repo-2", "repo-3", "repo-4", "repo-5");
        catalog.openAllGates();
        ScanSummary summary = scan.get(10, TimeUnit.SECONDS);
        assertThat(summary.read()).isEqualTo(7);
        assertThat(summary.failed()).extracting(RepositoryFailure::repository).containsExactly(name("repo-0"));
        assertThat(summary.lowestConcurrency()).isEqualTo(2);
    }

    @Test
    void scan_startsNoRepositoryOnceTheDeadlineHasPassed_andReportsTheRestAsNotReached() {
        // GIVEN each read takes a minute, and the scan has three
        MutableClock clock = new MutableClock(START);
        catalog.onRead = repository -> clock.advance(Duration.ofMinutes(1));
        List<String> names = names(6);

        // WHEN
        ScanSummary summary = new RepositoryScan(catalog, settings(1).until(START.plus(Duration.ofMinutes(3))), clock)
                .scan(lister(names), contents -> 1, outcome -> { });

        // THEN the first three were read; the other three, in listing order, were not reached
        assertThat(summary.read()).isEqualTo(3);
        assertThat(summary.notReached()).extracting(RepositoryName::value)
                .containsExactly("repo-3", "repo-4", "repo-5");
        assertThat(summary.complete()).isFalse();
    }

    @Test
    void scan_readsNothing_whenTheDeadlineHasAlreadyPassed() {
        MutableClock clock = new MutableClock(START);

        ScanSummary summary = new RepositoryScan(catalog, settings(4).until(START), clock)
                .scan(lister(names(3)), contents -> 1, outcome -> { });

        assertThat(summary.listed()).isEqualTo(3);
        assertThat(summary.read()).isZero();
        assertThat(summary.notReached()).hasSize(3);
        assertThat(catalog.started()).isEmpty();
    }

    @Test
    void scan_doesNotWaitForARetry_dueAfterTheDeadline_andReportsTheFailureThatCalledForIt() {
        // GIVEN a retry would be due in ten minutes, the deadline in five (on a clock that never moves by itself)
        MutableClock clock = new MutableClock(START);
        catalog.failures(name("hot"), throttled("hot"));
        RepositoryScan.Settings settings = settings(2).retrying(3, Duration.ofMinutes(10))
                .until(START.plus(Duration.ofMinutes(5)));

        // WHEN
        ScanSummary summary = new RepositoryScan(catalog, settings, clock)
                .scan(lister("hot", "calm"), contents -> 1, outcome -> { });

        // THEN the scan ended at once, with the failure reported as retryable after one attempt
        assertThat(summary.read()).isEqualTo(1);
        assertThat(summary.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.repository()).isEqualTo(name("hot"));
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.attempts()).isEqualTo(1);
        });
        assertThat(summary.notReached()).isEmpty();
    }

    @Test
    void scan_stopsWhenItsThreadIsInterrupted_reportingTheRepositoriesInProgressAndTheRestAsNotReached()
            throws Exception {
        // GIVEN two reads held, four repositories waiting
        List<String> names = names(6);
        names.forEach(repository -> catalog.gate(name(repository)));
        Future<Object[]> scan = background.submit(() -> {
            ScanSummary summary = scan(settings(2), lister(names), contents -> 1, outcome -> { });
            return new Object[] {summary, Thread.currentThread().isInterrupted()};
        });
        catalog.awaitStarted(2);

        // WHEN the scanning thread is interrupted
        background.shutdownNow();
        Object[] result = scan.get(10, TimeUnit.SECONDS);

        // THEN it returns at once, nothing read, every repository not reached, and the interrupt kept
        ScanSummary summary = (ScanSummary) result[0];
        assertThat(summary.read()).isZero();
        assertThat(summary.notReached()).extracting(RepositoryName::value).containsExactlyElementsOf(names);
        assertThat((Boolean) result[1]).isTrue();
    }

    @Test
    void scan_readsWhatWasListed_whenTheListingFailsPartWay() {
        RepositoryLister failingAfterTwo = consumer -> {
            consumer.accept(name("shop-api"));
            consumer.accept(name("shop-web"));
            throw new CatalogException("ecr:DescribeRepositories on the registry's repositories failed: "
                    + "ThrottlingException (HTTP 400): Rate exceeded", true, null);
        };

        ScanSummary summary = scan(settings(2), failingAfterTwo, contents -> 1, outcome -> { });

        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.listingFailure()).hasValueSatisfying(reason ->
                assertThat(reason).startsWith("ecr:DescribeRepositories"));
        assertThat(summary.complete()).isFalse();
    }

    @Test
    void scan_readsARepositoryListedTwice_once() {
        ScanSummary summary = scan(settings(2), lister("shop-api", "shop-api", "shop-web"), contents -> 1,
                outcome -> { });

        assertThat(summary.listed()).isEqualTo(2);
        assertThat(catalog.reads(name("shop-api"))).isEqualTo(1);
    }

    @Test
    void scan_letsAnErrorThrough_ratherThanReportingItAsARepositoryFailure() {
        assertThatThrownBy(() -> scan(settings(2), lister("shop-api"), contents -> {
            throw new OutOfMemoryError("Java heap space");
        }, outcome -> { })).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void scan_endsWithTheConsumersException() {
        assertThatThrownBy(() -> scan(settings(2), lister(names(4)), contents -> 1, outcome -> {
            throw new IllegalStateException("stdout closed");
        })).hasMessage("stdout closed");
    }

    @Test
    void settings_rejectAConcurrencyOutsideOneToSixtyFour_namingTheValue() {
        assertThatThrownBy(() -> RepositoryScan.Settings.of(0))
                .hasMessage("concurrency must be between 1 and 64 repositories at a time: 0");
        assertThatThrownBy(() -> RepositoryScan.Settings.of(65)).hasMessageContaining(": 65");
        assertThat(RepositoryScan.Settings.defaults().concurrency()).isEqualTo(8);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private <R> ScanSummary scan(RepositoryScan.Settings settings, RepositoryLister lister,
            Function<RepositoryContents, R> work, Consumer<ScanOutcome<R>> outcomes) {
        return new RepositoryScan(catalog, settings, Clock.systemUTC()).scan(lister, work, outcomes);
    }

    static RepositoryScan.Settings settings(int concurrency) {
        return RepositoryScan.Settings.of(concurrency).retrying(3, NO_DELAY);
    }

    static RepositoryName name(String value) {
        return RepositoryName.of(value);
    }

    static List<String> names(int count, String... more) {
        List<String> names = new ArrayList<>(IntStream.range(0, count).mapToObj(i -> "repo-" + i).toList());
        names.addAll(List.of(more));
        return names;
    }

    static RepositoryLister lister(String... names) {
        return lister(List.of(names));
    }

    static RepositoryLister lister(List<String> names) {
        return consumer -> names.forEach(value -> consumer.accept(name(value)));
    }

    static CatalogException throttled(String repository) {
        return new CatalogException("ecr:DescribeImages on repository '" + repository
                + "' failed: ThrottlingException (HTTP 400): Rate exceeded", true, null);
    }

    /**
     * A catalog whose reads can be held at a gate, made to fail, or made to advance a clock; it records which
     * repositories were started, in order, and how many reads ran at once.
     */
    static final class ScriptedCatalog implements ImageCatalog {
        final Map<RepositoryName, List<ImageRecord>> images = new ConcurrentHashMap<>();
        final Map<RepositoryName, String> policies = new ConcurrentHashMap<>();
        final Map<RepositoryName, Deque<RuntimeException>> failures = new ConcurrentHashMap<>();
        final Map<RepositoryName, CountDownLatch> gates = new ConcurrentHashMap<>();
        final Map<RepositoryName, AtomicInteger> reads = new ConcurrentHashMap<>();
        final List<RepositoryName> started = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile Consumer<RepositoryName> onRead = repository -> { };

        void images(RepositoryName repository, int count) {
            List<ImageRecord> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(ImageRecord.of(Digest.of(String.format("sha256:%064x", i)), List.of(Tag.of("tag-" + i)),
                        START));
            }
            images.put(repository, list);
        }

        void failures(RepositoryName repository, RuntimeException... thrown) {
            failures.put(repository, new ArrayDeque<>(List.of(thrown)));
        }

        void gate(RepositoryName repository) {
            gates.put(repository, new CountDownLatch(1));
        }

        void waitBeforeAnswering(RepositoryName repository, CountDownLatch latch) {
            gates.put(repository, latch);
        }

        void openGate(RepositoryName repository) {
            gates.get(repository).countDown();
        }

        void openAllGates() {
            gates.values().forEach(latch -> {
                while (latch.getCount() > 0) {
                    latch.countDown();
                }
            });
        }

        List<RepositoryName> started() {
            synchronized (started) {
                return List.copyOf(started);
            }
        }

        void awaitStarted(int count) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (started().size() < count && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(started()).hasSizeGreaterThanOrEqualTo(count);
        }

        int reads(RepositoryName repository) {
            return reads.getOrDefault(repository, new AtomicInteger()).get();
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            started.add(repository);
            reads.computeIfAbsent(repository, key -> new AtomicInteger()).incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                CountDownLatch gate = gates.get(repository);
                if (gate != null && !gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate of " + repository);
                }
                onRead.accept(repository);
                Deque<RuntimeException> pending = failures.get(repository);
                RuntimeException failure = pending == null ? null : pending.poll();
                if (failure != null) {
                    throw failure;
                }
                images.getOrDefault(repository, List.of()).forEach(consumer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            return Optional.ofNullable(policies.get(repository));
        }

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            throw new UnsupportedOperationException("a scan reads whole repositories");
        }
    }
}
