package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads many repositories through the {@link ImageCatalog} port, a bounded number at a time, and hands each one's
 * outcome to a consumer as soon as it is done. {@code audit} runs it over the repositories it is given; the scheduled
 * sweep runs it over the account's within the function's time.
 *
 * <ul>
 *   <li><b>Bounded</b>: at most {@link Settings#concurrency()} repositories are read at a time, on as many threads.
 *       A repository's pages are read one after another, as the API's tokens require.</li>
 *   <li><b>Adaptive</b>: the catalog's client absorbs short throttling itself (the command line's ECR client retries
 *       each call up to 3 times with jittered exponential backoff). A read that still fails retryably — throttling
 *       that outlasted those retries, a server error, a timeout — is tried again later, up to
 *       {@link Settings#attempts()} times with a doubling delay, and the scan halves how many repositories it reads
 *       at a time, growing back by one per window of successes ({@link ConcurrencyLimit}).</li>
 *   <li><b>Isolated</b>: a repository that cannot be read or judged — a failure of the catalog, or of the
 *       per-repository work (an invalid value in ECR's answer, a failure of another port the work calls) — is
 *       handed over as {@link ScanOutcome.Failed} with its reason, and the scan goes on.</li>
 *   <li><b>Streamed</b>: outcomes reach the consumer in the order repositories finish, one at a time, on the thread
 *       that called {@link #scan}, so a consumer needs no locking. Only the repositories in progress are held in
 *       memory.</li>
 *   <li><b>Deadline</b>: once {@link Settings#deadline()} has passed no repository is started; those in progress
 *       finish. Repositories start in listing order, so the ones not reached are the rest of the list
 *       ({@link ScanSummary#notReached()}). Choose the deadline with room for the longest repository.</li>
 * </ul>
 *
 * <p>The catalog and the work are called from several worker threads at once, so both must be thread-safe (the ECR
 * adapters are: they hold nothing but the SDK client). The lister is called on the caller's thread, once, before the
 * first read. The scan holds no state between calls: a sweep of several accounts or Regions runs one scan per
 * catalog.
 */
public final class RepositoryScan {

    private final ImageCatalog catalog;
    private final Settings settings;
    private final Clock clock;

    /** @param clock tells when the deadline has passed and when a retry is due */
    public RepositoryScan(ImageCatalog catalog, Settings settings, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * How a scan runs.
     *
     * @param concurrency repositories read at a time, at most; 1 reads them one after another
     * @param deadline    when to stop starting repositories, if ever
     * @param attempts    times a repository is tried when its reads keep failing retryably
     * @param retryDelay  wait before the second attempt of a repository; doubled for each further one
     */
    public record Settings(int concurrency, Optional<Instant> deadline, int attempts, Duration retryDelay) {

        /**
         * ECR publishes rate quotas for its push and pull operations only, none for {@code DescribeImages},
         * {@code GetLifecyclePolicy} or {@code DescribeRepositories}. Eight at a time is about 160 calls a second
         * at 50 ms a call: a 2,000-repository account in about 25 s, at a pace a throttled account soon recovers
         * from.
         */
        public static final int DEFAULT_CONCURRENCY = 8;
        /** Each read holds a thread and a connection; beyond this, throttling, not latency, sets the pace. */
        public static final int MAX_CONCURRENCY = 64;
        public static final int DEFAULT_ATTEMPTS = 3;
        public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(2);

        public Settings {
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY
                        + " repositories at a time: " + concurrency);
            }
            Objects.requireNonNull(deadline, "deadline");
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException("attempts must be between 1 and 10: " + attempts);
            }
            if (retryDelay.isNegative()) {
                throw new IllegalArgumentException("retry delay must not be negative: " + retryDelay);
            }
        }

        public static Settings of(int concurrency) {
            return new Settings(concurrency, Optional.empty(), DEFAULT_ATTEMPTS, DEFAULT_RETRY_DELAY);
        }

        public static Settings defaults() {
            return of(DEFAULT_CONCURRENCY);
        }

        /** The same settings, stopping to start repositories once {@code deadline} has passed. */
        public Settings until(Instant deadline) {
            return new Settings(concurrency, Optional.of(deadline), attempts, retryDelay);
        }

        /** The same settings with another number of attempts per repository and first retry delay. */
        public Settings retrying(int attempts, Duration retryDelay) {
            return new Settings(concurrency, deadline, attempts, retryDelay);
        }
    }

    /**
     * Lists the repositories, reads each one ({@link ImageCatalog#forEachImage}, then
     * {@link ImageCatalog#lifecyclePolicyText}), runs {@code work} on it on the same worker thread, and hands every
     * outcome to {@code outcomes} on the calling thread as it completes.
     *
     * @param work     judges one repository; it may call other ports (their {@link ServiceFailure}s are retried like
     *                 the catalog's) and must not return null
     * @param outcomes receives one outcome per repository read or given up, never concurrently; an exception it
     *                 throws ends the scan and propagates
     * @return what was read, what failed and what was not reached
     */
    public <R> ScanSummary scan(RepositoryLister repositories, Function<RepositoryContents, R> work,
            Consumer<ScanOutcome<R>> outcomes) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(outcomes, "outcomes");
        Set<RepositoryName> listed = new LinkedHashSet<>();
        Optional<String> listingFailure = Optional.empty();
        try {
            repositories.forEachRepository(listed::add);
        } catch (RuntimeException e) {
            listingFailure = Optional.of(reason(e));
        }
        return new Run<>(work, outcomes, listed, listingFailure).run();
    }

    /**
     * One attempt at one repository; {@code dueAt} is when it may start, {@code order} its place in the listing, and
     * {@code previous} the failure that made a retry necessary.
     */
    private record Attempt(RepositoryName repository, int number, Instant dueAt, long order,
            Optional<RepositoryFailure> previous) {
    }

    /** What a worker reports back: a result, a failure, or a throwable that must end the scan. */
    private record Completion<R>(Attempt attempt, int window, R result, RepositoryFailure failure, Throwable fatal) {
    }

    /** The state of one scan, touched by the calling thread only; workers talk to it through {@code done}. */
    private final class Run<R> {
        private final Function<RepositoryContents, R> work;
        private final Consumer<ScanOutcome<R>> outcomes;
        private final int listed;
        private final Optional<String> listingFailure;
        private final Deque<Attempt> waiting = new ArrayDeque<>();
        private final Queue<Attempt> retrying = new PriorityQueue<>(
                Comparator.comparing(Attempt::dueAt).thenComparingLong(Attempt::order));
        private final Set<Attempt> running = new LinkedHashSet<>();
        private final BlockingQueue<Completion<R>> done = new LinkedBlockingQueue<>();
        private final ConcurrencyLimit limit = new ConcurrencyLimit(settings.concurrency());
        private final List<RepositoryFailure> failed = new ArrayList<>();
        private final List<Attempt> notReached = new ArrayList<>();
        private int read;
        private int retries;

        Run(Function<RepositoryContents, R> work, Consumer<ScanOutcome<R>> outcomes, Set<RepositoryName> listed,
                Optional<String> listingFailure) {
            this.work = work;
            this.outcomes = outcomes;
            this.listed = listed.size();
            this.listingFailure = listingFailure;
            long order = 0;
            for (RepositoryName repository : listed) {
                waiting.add(new Attempt(repository, 1, Instant.MIN, order++, Optional.empty()));
            }
        }

        ScanSummary run() {
            ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(), new WorkerThreads());
            try {
                while (startWhatIsDue(workers) || !running.isEmpty()) {
                    Completion<R> completion = nextCompletion();
                    if (completion != null) {
                        running.remove(completion.attempt());
                        handle(completion);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                notReached.addAll(running);
                running.clear();
            } finally {
                // Nothing is left running on a normal end; after an interrupt or a consumer's exception, the reads in
                // progress are abandoned rather than waited for.
                workers.shutdownNow();
            }
            // Retries the deadline left no time for: report the failure that made them necessary.
            retrying.stream().sorted(Comparator.comparingLong(Attempt::order))
                    .forEach(retry -> fail(retry.previous().orElseThrow()));
            notReached.addAll(waiting);
            notReached.sort(Comparator.comparingLong(Attempt::order));
            return new ScanSummary(listed, read, failed, notReached.stream().map(Attempt::repository).toList(),
                    listingFailure, retries, limit.lowest());
        }

        /**
         * Starts due repositories while the limit allows; true when some are still to start (now or later) and the
         * deadline leaves time for them.
         */
        private boolean startWhatIsDue(ExecutorService workers) {
            Instant now = clock.instant();
            if (settings.deadline().filter(deadline -> !now.isBefore(deadline)).isPresent()) {
                return false;
            }
            while (running.size() < limit.current()) {
                Attempt next = due(now);
                if (next == null) {
                    break;
                }
                running.add(next);
                int window = limit.window();
                workers.execute(() -> done.add(attempt(next, window)));
            }
            boolean retryInTime = !retrying.isEmpty() && settings.deadline()
                    .map(deadline -> retrying.peek().dueAt().isBefore(deadline)).orElse(true);
            return !waiting.isEmpty() || retryInTime;
        }

        /** A retry whose time has come goes first (it has waited longest), then the next repository listed. */
        private Attempt due(Instant now) {
            if (!retrying.isEmpty() && !retrying.peek().dueAt().isAfter(now)) {
                return retrying.poll();
            }
            return waiting.poll();
        }

        /**
         * Waits for a read to finish, or until the next retry is due when the limit would let it start; null when
         * the wait ended without a completion.
         */
        private Completion<R> nextCompletion() throws InterruptedException {
            if (retrying.isEmpty() || running.size() >= limit.current()) {
                return running.isEmpty() ? null : done.take();
            }
            Duration untilDue = Duration.between(clock.instant(), retrying.peek().dueAt());
            return done.poll(Math.max(0, untilDue.toNanos()), TimeUnit.NANOSECONDS);
        }

        private void handle(Completion<R> completion) {
            if (completion.fatal() instanceof Error error) {
                throw error;
            }
            if (completion.fatal() != null) {
                throw new IllegalStateException("reading " + completion.attempt().repository() + " failed",
                        completion.fatal());
            }
            Attempt attempt = completion.attempt();
            RepositoryFailure failure = completion.failure();
            if (failure == null) {
                limit.succeeded();
                read++;
                outcomes.accept(new ScanOutcome.Read<>(attempt.repository(), completion.result()));
                return;
            }
            if (failure.retryable()) {
                limit.failedRetryably(completion.window());
                if (attempt.number() < settings.attempts()) {
                    retries++;
                    Duration delay = settings.retryDelay().multipliedBy(1L << (attempt.number() - 1));
                    retrying.add(new Attempt(attempt.repository(), attempt.number() + 1,
                            clock.instant().plus(delay), attempt.order(), Optional.of(failure)));
                    return;
                }
            }
            fail(failure);
        }

        private void fail(RepositoryFailure failure) {
            failed.add(failure);
            outcomes.accept(new ScanOutcome.Failed<>(failure));
        }

        /** On a worker thread: read the repository, judge it, report back; never throws. */
        private Completion<R> attempt(Attempt attempt, int window) {
            RepositoryName repository = attempt.repository();
            try {
                List<ImageRecord> images = new ArrayList<>();
                catalog.forEachImage(repository, images::add);
                Optional<String> policy = catalog.lifecyclePolicyText(repository);
                R result = Objects.requireNonNull(work.apply(new RepositoryContents(repository, images, policy)),
                        "the per-repository work returned null");
                return new Completion<>(attempt, window, result, null, null);
            } catch (ServiceFailure e) {
                return new Completion<>(attempt, window, null,
                        new RepositoryFailure(repository, reason(e), e.retryable(), attempt.number()), null);
            } catch (RuntimeException e) {
                // Not a service failing but this repository's data (a value ECR accepts and we reject) or a bug:
                // another attempt reads the same answer, so report it and go on with the others.
                return new Completion<>(attempt, window, null,
                        new RepositoryFailure(repository, reason(e), false, attempt.number()), null);
            } catch (Throwable e) {
                return new Completion<>(attempt, window, null, null, e);
            }
        }
    }

    private static String reason(RuntimeException e) {
        if (e instanceof ServiceFailure || e instanceof IllegalArgumentException) {
            return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        }
        return e.toString();
    }

    /** Daemon threads, so a read stuck past its timeouts cannot keep the process alive. */
    private static final class WorkerThreads implements ThreadFactory {
        private static final AtomicInteger SCANS = new AtomicInteger();
        private final int scan = SCANS.incrementAndGet();
        private final AtomicInteger threads = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "repository-scan-" + scan + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
