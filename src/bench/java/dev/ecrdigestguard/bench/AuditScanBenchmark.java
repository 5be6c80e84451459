package dev.ecrdigestguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.cli.Main;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.RepositoryScan;
import dev.ecrdigestguard.guard.ScanSummary;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.testing.SyntheticEcr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@code audit --all-repositories} against a local ECR API with the latency of a real one: how close bounded
 * concurrency gets to the I/O floor (total calls × latency ÷ concurrency), and how much faster it is than reading the
 * repositories one after another.
 *
 * <p>The ECR is {@link SyntheticEcr} (WireMock behind the real SDK client, reached through {@code aws.endpointUrlEcr}):
 * {@code repositories} repositories of {@code images} images each ({@link SyntheticRepository}, a different seed per
 * repository, every one with the five-rule policy), every answer held {@code latency} ms. Each sample is the real
 * command, {@code Main.run("audit", "--all-repositories", "--concurrency", N, "--format", "json", …)}, in this JVM
 * after warm-up runs: its client, its retries, its evaluation and its output, which is parsed to check that every
 * repository was audited. Concurrency levels are interleaved sample by sample, so a busy neighbour slows all alike.
 *
 * <p>With {@code --throttle-rate R} it measures instead how the scan copes with an account ECR throttles at R calls a
 * second (ThrottlingException beyond it; no latency unless given): the same scan under the SDK's adaptive and
 * standard retry modes, against the floor of total successful calls ÷ R. With {@code --throttle-first N}, ECR
 * throttles the first N calls about repositories (an account busy when the audit starts), and the floor is the
 * unthrottled one, successful calls × latency ÷ concurrency.
 *
 * <p>Run: {@code ./mvnw -B -Pscanbench test-compile exec:exec [-Dscanbench.args="…"]} (docs/performance.md).
 */
public final class AuditScanBenchmark {

    private static final String USAGE = """
            options (defaults in brackets):
              --repositories N    repositories in the account [300]
              --images N          images per repository [500]
              --latency MS        held on every answer [30]
              --concurrency LIST  levels to measure; 1 is one after another [1,8,16]
              --samples N         per level [5]
              --warmup N          runs before sampling, at the highest level [2]
              --throttle-rate R   instead: ECR throttles beyond R calls/s; compares the SDK retry modes
              --throttle-first N  instead: ECR throttles the first N calls about repositories; compares them too
              --retry-modes LIST  with either [ADAPTIVE_V2,STANDARD]
              --report FILE       also write the Markdown report there""";

    private AuditScanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int repositories = Integer.parseInt(options.getOrDefault("repositories", "300"));
        int images = Integer.parseInt(options.getOrDefault("images", "500"));
        int latency = Integer.parseInt(options.getOrDefault("latency",
                throttling(options) ? "0" : "30"));
        int samples = Integer.parseInt(options.getOrDefault("samples", "5"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "2"));
        // Never a real account: a local endpoint and made-up credentials, whatever the shell says.
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "benchmark");
        System.setProperty("aws.secretAccessKey", "benchmark");
        // As the command line does (cli.LiveEcr), for the clients this benchmark builds itself.
        System.setProperty("http.maxConnections", Integer.toString(RepositoryScan.Settings.MAX_CONCURRENCY));

        List<String> names = IntStream.range(0, repositories).mapToObj(i -> String.format("bench/app-%03d", i))
                .toList();
        SyntheticEcr.Builder ecr = SyntheticEcr.builder()
                .repositories(names, name -> SyntheticRepository.images(images, name.hashCode()))
                .lifecyclePolicy(SyntheticRepository.FIVE_RULE_POLICY)
                .latency(Duration.ofMillis(latency))
                .threads(160);
        StringBuilder report = new StringBuilder();
        report.append(machine()).append('\n');
        if (throttling(options)) {
            double rate = Double.parseDouble(options.getOrDefault("throttle-rate", "0"));
            int first = Integer.parseInt(options.getOrDefault("throttle-first", "0"));
            List<String> modes = List.of(options.getOrDefault("retry-modes", "ADAPTIVE_V2,STANDARD").split(","));
            int concurrency = Integer.parseInt(options.getOrDefault("concurrency",
                    Integer.toString(RepositoryScan.Settings.DEFAULT_CONCURRENCY)));
            report.append(throttled(ecr.rate(rate, 5).throttleFirst(first), repositories, images, latency, rate,
                    first, modes, concurrency, samples));
        } else {
            List<Integer> levels = Arrays.stream(options.getOrDefault("concurrency", "1,8,16").split(","))
                    .map(Integer::parseInt).toList();
            report.append(latencyFloor(ecr, repositories, images, latency, levels, samples, warmup));
        }
        System.out.println(report);
        if (options.containsKey("report")) {
            Files.writeString(Path.of(options.get("report")), report.toString());
        }
        System.exit(0);
    }

    private static String latencyFloor(SyntheticEcr.Builder builder, int repositories, int images, int latency,
            List<Integer> levels, int samples, int warmup) {
        Map<Integer, List<Run>> runs = new LinkedHashMap<>();
        levels.forEach(level -> runs.put(level, new ArrayList<>()));
        int top = levels.stream().max(Integer::compare).orElseThrow();
        try (SyntheticEcr ecr = builder.start()) {
            for (int i = 0; i < warmup; i++) {
                Run run = audit(ecr, top, repositories);
                System.err.printf("warm-up %d at %d: %d ms%n", i + 1, top, run.millis());
            }
            for (int sample = 0; sample < samples; sample++) {
                for (int level : levels) {
                    Run run = audit(ecr, level, repositories);
                    runs.get(level).add(run);
                    System.err.printf("sample %d at %d: %d ms, CPU %d ms, %d calls%n", sample + 1, level,
                            run.millis(), run.cpuMillis(), run.calls());
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%d repositories × %d images, %d ms a call, %d samples per level "
                + "after %d warm-up runs%n%n", repositories, images, latency, samples, warmup));
        table.append("| repositories at a time | median ms (min–max) | calls | floor ms (calls × latency ÷ "
                + "concurrency) | × floor | speed-up over one at a time | CPU ms, median (client and ECR) |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        long sequential = runs.containsKey(1) ? median(runs.get(1)) : 0;
        for (Map.Entry<Integer, List<Run>> level : runs.entrySet()) {
            List<Run> sampled = level.getValue();
            long median = median(sampled);
            int calls = sampled.get(0).calls();
            double floor = (double) calls * latency / level.getKey();
            long cpu = sampled.stream().mapToLong(Run::cpuMillis).sorted().toArray()[sampled.size() / 2];
            table.append(String.format(Locale.ROOT, "| %d | %d (%d–%d) | %d | %.0f | %.2f | %s | %d |%n",
                    level.getKey(), median, min(sampled), max(sampled), calls, floor, median / floor,
                    sequential == 0 ? "—" : String.format(Locale.ROOT, "%.1f ×", (double) sequential / median), cpu));
        }
        return table.toString();
    }

    /** @param cpuMillis CPU time of the whole process (the client and the synthetic ECR) during the run */
    private record Run(long millis, long cpuMillis, int calls) {
    }

    private static long processCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** The real command, in this JVM; fails the benchmark unless every repository was audited. */
    private static Run audit(SyntheticEcr ecr, int concurrency, int repositories) {
        System.setProperty("aws.endpointUrlEcr", ecr.endpoint());
        ecr.resetCounts();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long cpu = processCpuMillis();
        long start = System.nanoTime();
        int status = Main.run(new String[] {"audit", "--all-repositories", "--concurrency",
                Integer.toString(concurrency), "--format", "json", "--production-tags", "tag-*"},
                new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        long millis = (System.nanoTime() - start) / 1_000_000;
        cpu = processCpuMillis() - cpu;
        String errors = err.toString(StandardCharsets.UTF_8);
        JsonNode audited;
        try {
            audited = Json.mapper().readTree(out.toByteArray()).path("repositories");
        } catch (IOException e) {
            throw new IllegalStateException("audit wrote no JSON (exit " + status + "): " + errors, e);
        }
        if (status > Main.FINDINGS || audited.size() != repositories) {
            throw new IllegalStateException("audit exited " + status + " with " + audited.size() + " of "
                    + repositories + " repositories: " + errors);
        }
        return new Run(millis, cpu, ecr.totalCalls());
    }

    private static boolean throttling(Map<String, String> options) {
        return options.containsKey("throttle-rate") || options.containsKey("throttle-first");
    }

    private static String throttled(SyntheticEcr.Builder builder, int repositories, int images, int latency,
            double rate, int first, List<String> modes, int concurrency, int samples) {
        StringBuilder table = new StringBuilder();
        String throttling = rate > 0
                ? String.format(Locale.ROOT, "ECR throttling beyond %.0f calls/s (burst 5)", rate)
                : "ECR throttling the first " + first + " calls about repositories";
        table.append(String.format(Locale.ROOT, "%d repositories × %d images, %s, %d ms a call, %d at a time, %d "
                + "samples per mode%n%n", repositories, images, throttling, latency, concurrency, samples));
        table.append("| SDK retry mode | median ms (min–max) | floor ms (" + (rate > 0 ? "calls ÷ rate"
                : "calls × latency ÷ concurrency") + ") | × floor | throttled answers "
                + "(median) | repositories retried by the scan (median) | fewest at a time | failed |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        for (int sample = 0; sample < samples; sample++) {
            for (String mode : modes) {
                // A fresh server each time: an empty token bucket, as an account that has been quiet.
                try (SyntheticEcr ecr = builder.start()) {
                    long[] result = scan(ecr, RetryMode.valueOf(mode), concurrency, repositories);
                    results.computeIfAbsent(mode, key -> new ArrayList<>()).add(result);
                    System.err.printf("%s sample %d: %d ms, %d throttled, %d retried, %d failed%n", mode, sample + 1,
                            result[0], result[2], result[3], result[5]);
                }
            }
        }
        for (Map.Entry<String, List<long[]>> mode : results.entrySet()) {
            List<long[]> sampled = mode.getValue();
            long median = medianOf(sampled, 0);
            long successfulCalls = 1 + 2L * repositories;
            double floor = rate > 0 ? successfulCalls / rate * 1000 : (double) successfulCalls * latency / concurrency;
            table.append(String.format(Locale.ROOT, "| %s | %d (%d–%d) | %.0f | %.2f | %d | %d | %d | %d |%n",
                    mode.getKey(), median, sampled.stream().mapToLong(r -> r[0]).min().orElseThrow(),
                    sampled.stream().mapToLong(r -> r[0]).max().orElseThrow(), floor, median / floor,
                    medianOf(sampled, 2), medianOf(sampled, 3),
                    sampled.stream().mapToLong(r -> r[4]).min().orElseThrow(),
                    sampled.stream().mapToLong(r -> r[5]).max().orElseThrow()));
        }
        return table.toString();
    }

    /**
     * The audit's scan with a client in the given retry mode (the command itself uses the standard mode):
     * {wall ms, calls, throttled, scan retries, fewest at a time, failed}.
     */
    private static long[] scan(SyntheticEcr ecr, RetryMode mode, int concurrency, int repositories) {
        System.setProperty("aws.endpointUrlEcr", ecr.endpoint());
        try (EcrClient client = EcrClient.builder().httpClient(AwsClients.http())
                .overrideConfiguration(AwsClients.timeouts().toBuilder().retryStrategy(mode).build()).build()) {
            Optional<ProductionTags> releases = Optional.of(ProductionTags.parse("tag-*"));
            long start = System.nanoTime();
            ScanSummary summary = new RepositoryScan(new EcrImageCatalog(client), RepositoryScan.Settings.of(concurrency),
                    Clock.systemUTC()).scan(new EcrRepositoryLister(client),
                    contents -> RepositoryAudit.of(contents.repository(), contents.lifecyclePolicy(), contents.images(),
                            releases, Map.of(), SyntheticRepository.NOW, Duration.ofHours(24)), outcome -> { });
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (summary.listed() != repositories || summary.listingFailure().isPresent()) {
                throw new IllegalStateException("the listing failed: " + summary.listingFailure().orElse("?"));
            }
            return new long[] {millis, ecr.totalCalls(), ecr.throttled(), summary.retries(),
                    summary.lowestConcurrency(), summary.failed().size()};
        }
    }

    private static long median(List<Run> runs) {
        long[] sorted = runs.stream().mapToLong(Run::millis).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static long min(List<Run> runs) {
        return runs.stream().mapToLong(Run::millis).min().orElseThrow();
    }

    private static long max(List<Run> runs) {
        return runs.stream().mapToLong(Run::millis).max().orElseThrow();
    }

    private static long medianOf(List<long[]> results, int field) {
        long[] sorted = results.stream().mapToLong(result -> result[field]).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // Not Linux: say so in the report rather than fail.
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%s, %s, %d cores, load average %.1f at start, Java %s (%s)",
                LocalDate.now(), cpu, Runtime.getRuntime().availableProcessors(), load,
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("unexpected argument " + args[i] + "\n" + USAGE);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                (a, b) -> b, LinkedHashMap::new));
    }
}
