package dev.ecrdigestguard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmark of {@code preview} as a person runs it: a fresh {@code java -Xmx256m -jar
 * ecr-digest-guard.jar preview --images FILE --policy FILE --format json > out.json} per sample, on {@code
 * describe-images} files in the AWS CLI v2 layout ({@link SyntheticRepository}, with its five-rule policy) of one image
 * (the start-up probe) to 1,000,000 images, beside its floor ({@link PreviewFloor}: jackson-core reading the same file
 * and writing an output of the same size, same heap) and, with {@code --baseline JAR}, another build. Cases run
 * interleaved, so a busy machine slows all of them alike.
 *
 * <p>Per sample: wall time around the process, user + system CPU, peak RSS ({@code /usr/bin/time}), the largest heap
 * occupancy a collection found and the total of the pauses ({@code -Xlog:gc}), the output's size and the exit status;
 * the first sample of each case also checks the output holds one object per image. Run it with
 * {@code ./mvnw -B -Ppreview-bench verify -DskipTests -DskipITs} (docs/performance.md); {@code --help} lists options.
 */
public final class PreviewBenchmark {

    private static final Pattern GC_PAUSE = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");
    private static final String NOW = SyntheticRepository.NOW.toString();

    record Case(String name, boolean floor, boolean baseline) {
    }

    record Sample(double wallMillis, double cpuMillis, long peakRssKb, double peakHeapMb, double gcPauseMillis,
            long outputBytes, int exit, String error) {
    }

    private final Options options;
    private final Path policy;
    private final List<String> floorClasspath;
    private int sequence;

    private PreviewBenchmark(Options options) throws IOException, URISyntaxException {
        this.options = options;
        Files.createDirectories(options.work);
        this.policy = options.work.resolve("five-rule-policy.json");
        Files.writeString(policy, SyntheticRepository.FIVE_RULE_POLICY);
        this.floorClasspath = List.of(locationOf(PreviewFloor.class), locationOf(JsonFactory.class));
        if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
            throw new IllegalStateException("/usr/bin/time (GNU time, Debian package 'time') is needed for CPU time and"
                    + " peak RSS: apt-get install time");
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options != null) {
            new PreviewBenchmark(options).run();
        }
    }

    private void run() throws Exception {
        List<Case> cases = new ArrayList<>(List.of(new Case("floor (jackson-core read + write)", true, false),
                new Case("preview", false, false)));
        if (options.baseline != null) {
            cases.add(new Case("preview — baseline " + options.baseline.getFileName(), false, true));
        }
        System.out.printf(Locale.ROOT, "preview benchmark: %d samples per case after %d warm-up, -Xmx%s"
                + " (baseline: %s), Java %s, load average at start %s%n", options.samples, options.warmup,
                options.heap, options.baselineHeap == null ? "default heap" : "-Xmx" + options.baselineHeap,
                Runtime.version(), loadAverage());
        Map<Integer, Map<Case, Sample[]>> all = new LinkedHashMap<>();
        for (int size : options.sizes) {
            Path images = describeImages(size);
            Map<Case, List<Sample>> samples = new LinkedHashMap<>();
            cases.forEach(c -> samples.put(c, new ArrayList<>()));
            for (int round = 0; round < options.warmup + options.samples; round++) {
                for (Case c : cases) {
                    Sample sample = runOnce(c, images, size, round == 0);
                    if (options.verbose) {
                        System.out.printf(Locale.ROOT, "%,d images, %s: %.0f ms wall, %.0f ms CPU, exit %d%s%n", size,
                                c.name(), sample.wallMillis(), sample.cpuMillis(), sample.exit(),
                                sample.error().isEmpty() ? "" : " — " + sample.error());
                    }
                    if (round >= options.warmup) {
                        samples.get(c).add(sample);
                    }
                }
            }
            Map<Case, Sample[]> bySize = new LinkedHashMap<>();
            samples.forEach((c, list) -> bySize.put(c, list.toArray(new Sample[0])));
            all.put(size, bySize);
            System.out.printf(Locale.ROOT, "%,d images done, load average %s%n", size, loadAverage());
        }
        String report = table(all) + growth(all, cases)
                + String.format(Locale.ROOT, "%nload average at the end %s%n", loadAverage());
        System.out.print(report);
        if (options.output != null) {
            Files.writeString(options.output, report, StandardCharsets.UTF_8);
        }
    }

    /** The describe-images file of {@code size} images in the work directory, written once and reused. */
    private Path describeImages(int size) throws IOException {
        Path file = options.work.resolve("describe-images-" + size + ".json");
        Path done = options.work.resolve("describe-images-" + size + ".done");
        if (!Files.exists(done)) {
            System.out.printf(Locale.ROOT, "writing %s (%,d images)%n", file, size);
            SyntheticRepository.writeDescribeImagesFile(file, size);
            Files.writeString(done, "");
        }
        return file;
    }

    private Sample runOnce(Case c, Path images, int size, boolean check) throws IOException, InterruptedException {
        int n = ++sequence;
        Path out = options.work.resolve("out-" + n + ".json");
        Path err = options.work.resolve("err-" + n + ".txt");
        Path stats = options.work.resolve("time-" + n + ".txt");
        Path gc = options.work.resolve("gc-" + n + ".log");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", stats.toString(),
                options.java.toString()));
        String heap = c.baseline() ? options.baselineHeap : options.heap;
        if (heap != null) {
            command.add("-Xmx" + heap);
        }
        command.add("-Xlog:gc:file=" + gc);
        if (c.floor()) {
            command.addAll(List.of("-cp", String.join(File.pathSeparator, floorClasspath),
                    PreviewFloor.class.getName(), images.toString()));
        } else {
            command.addAll(List.of("-jar", (c.baseline() ? options.baseline : options.jar).toString(), "preview",
                    "--images", images.toString(), "--policy", policy.toString(), "--now", NOW, "--format", "json"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(options.timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(c.name() + " on " + size + " images took more than "
                    + options.timeoutSeconds + " s");
        }
        double wall = (System.nanoTime() - start) / 1e6;
        int exit = process.exitValue();
        String[] measured = Files.readAllLines(stats).stream()
                .filter(line -> line.matches("[\\d.]+ [\\d.]+ [\\d.]+ \\d+"))
                .findFirst().orElse("0 0 0 0").split(" ");
        double cpu = (Double.parseDouble(measured[1]) + Double.parseDouble(measured[2])) * 1000;
        double peakHeap = 0;
        double pauses = 0;
        for (String line : Files.readAllLines(gc)) {
            Matcher m = GC_PAUSE.matcher(line);
            if (m.find()) {
                peakHeap = Math.max(peakHeap, Double.parseDouble(m.group(1)));
                pauses += Double.parseDouble(m.group(4));
            }
        }
        long outputBytes = Files.size(out);
        String error = exit == 0 ? "" : firstLine(err);
        if (check && exit == 0) {
            long printed = countImages(out);
            if (printed != size) {
                throw new IllegalStateException(c.name() + " printed " + printed + " images of " + size);
            }
        }
        Files.delete(out);
        Files.delete(stats);
        Files.delete(gc);
        Files.delete(err);
        return new Sample(wall, cpu, Long.parseLong(measured[3]), peakHeap, pauses, outputBytes, exit, error);
    }

    /** The number of objects in the output's {@code images} array, read as a stream. */
    private static long countImages(Path output) throws IOException {
        long count = 0;
        try (InputStream in = Files.newInputStream(output); JsonParser parser = new JsonFactory().createParser(in)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.START_OBJECT && parser.getParsingContext().getParent().inArray()) {
                    count++;
                    parser.skipChildren();
                }
            }
        }
        return count;
    }

    private static String firstLine(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).findFirst().orElse("").strip();
    }

    private String table(Map<Integer, Map<Case, Sample[]>> all) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| images | file MB | case | median wall ms | × floor | min–max ms | median CPU ms (× floor) |"
                + " peak RSS MB | peak heap MB | GC pauses ms | output MB | exit |\n");
        table.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<Integer, Map<Case, Sample[]>> size : all.entrySet()) {
            appendRows(table, size.getKey(), Files.size(options.work.resolve("describe-images-" + size.getKey()
                    + ".json")), size.getValue());
        }
        return table.toString();
    }

    private static void appendRows(StringBuilder table, int size, long fileBytes, Map<Case, Sample[]> bySize) {
        Sample[] floor = bySize.values().iterator().next();
        double floorWall = median(floor, Sample::wallMillis);
        double floorCpu = median(floor, Sample::cpuMillis);
        for (Map.Entry<Case, Sample[]> entry : bySize.entrySet()) {
            Sample[] samples = entry.getValue();
            double wall = median(samples, Sample::wallMillis);
            double cpu = median(samples, Sample::cpuMillis);
            String exits = Arrays.stream(samples).map(s -> s.exit() == 0 ? "0" : s.exit() + " (" + s.error() + ")")
                    .distinct().reduce((a, b) -> a + ", " + b).orElse("");
            table.append(String.format(Locale.ROOT, "| %,d | %.0f | %s | %.0f | %.2f | %.0f–%.0f | %.0f (%.2f) |"
                            + " %.0f | %.0f | %.0f | %.0f | %s |%n", size, fileBytes / 1e6, entry.getKey().name(), wall,
                    wall / floorWall, min(samples, Sample::wallMillis), max(samples, Sample::wallMillis), cpu,
                    cpu / floorCpu, median(samples, s -> s.peakRssKb() / 1024.0), max(samples, Sample::peakHeapMb),
                    median(samples, Sample::gcPauseMillis), median(samples, s -> s.outputBytes() / 1e6), exits));
        }
    }

    /**
     * How wall time grows with the number of images: the exponent b of t = a·n^b fitted (least squares on logs) to the
     * medians of the sizes above the smallest, on the wall time and on the wall time above the smallest size's (by
     * default a one-image file: what start-up, class loading and reading the policy cost whatever the size).
     */
    private String growth(Map<Integer, Map<Case, Sample[]>> all, List<Case> cases) {
        StringBuilder text = new StringBuilder();
        if (all.size() < 3) {
            return "";
        }
        List<Integer> sizes = new ArrayList<>(all.keySet());
        text.append("\ngrowth (t = a·n^b fitted to the medians over ").append(sizes.subList(1, sizes.size()))
                .append(" images):\n");
        for (Case c : cases) {
            List<double[]> points = new ArrayList<>();
            all.forEach((size, bySize) -> points.add(new double[] {size, median(bySize.get(c), Sample::wallMillis)}));
            double fixed = points.get(0)[1];
            List<double[]> measured = points.subList(1, points.size());
            // A size whose median is within the noise of the start-up probe has no time above it to fit.
            List<double[]> above = measured.stream().map(p -> new double[] {p[0], p[1] - fixed})
                    .filter(p -> p[1] > 0).toList();
            text.append(String.format(Locale.ROOT, "- %s: b = %.2f on wall time; b = %.2f on the time above the"
                    + " %,d-image run (%.0f ms), over %s images%n", c.name(),
                    measured.size() < 2 ? Double.NaN : exponent(measured),
                    above.size() < 2 ? Double.NaN : exponent(above), (int) points.get(0)[0], fixed,
                    above.stream().map(p -> String.format(Locale.ROOT, "%,d", (int) p[0])).toList()));
        }
        return text.toString();
    }

    private static double exponent(List<double[]> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            double x = Math.log(p[0]);
            double y = Math.log(Math.max(p[1], 1e-9));
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private static double median(Sample[] samples, java.util.function.ToDoubleFunction<Sample> value) {
        double[] values = Arrays.stream(samples).mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double min(Sample[] samples, java.util.function.ToDoubleFunction<Sample> value) {
        return Arrays.stream(samples).mapToDouble(value).min().orElse(Double.NaN);
    }

    private static double max(Sample[] samples, java.util.function.ToDoubleFunction<Sample> value) {
        return Arrays.stream(samples).mapToDouble(value).max().orElse(Double.NaN);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    static final class Options {
        List<Integer> sizes = List.of(1, 10_000, 100_000, 1_000_000);
        int samples = 5;
        int warmup = 1;
        int timeoutSeconds = 600;
        String heap = "256m";
        String baselineHeap;
        Path jar = Path.of("target/ecr-digest-guard.jar");
        Path baseline;
        Path work = Path.of("target/preview-bench");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output;
        boolean verbose;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sizes" -> o.sizes = Arrays.stream(args[++i].split(",")).map(String::strip)
                            .map(Integer::parseInt).sorted().toList();
                    case "--samples" -> o.samples = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--timeout" -> o.timeoutSeconds = Integer.parseInt(args[++i]);
                    case "--heap" -> o.heap = args[++i];
                    case "--jar" -> o.jar = Path.of(args[++i]);
                    case "--baseline" -> o.baseline = Path.of(args[++i]);
                    case "--baseline-heap" -> o.baselineHeap = args[++i];
                    case "--work" -> o.work = Path.of(args[++i]);
                    case "--java" -> o.java = Path.of(args[++i]);
                    case "--out" -> o.output = Path.of(args[++i]);
                    case "--verbose" -> o.verbose = true;
                    case "--help" -> {
                        System.out.println("""
                                PreviewBenchmark [options]
                                  --sizes N,N,…        images per describe-images file (1,10000,100000,1000000); the
                                                       smallest is the start-up probe of the growth fit; files are
                                                       written once into the work directory and reused
                                  --samples N          measured samples per case and size (5)
                                  --warmup N           discarded samples first (1)
                                  --heap SIZE          -Xmx of preview and of the floor (256m)
                                  --jar PATH           the build under test (target/ecr-digest-guard.jar)
                                  --baseline PATH      another build (e.g. main before a change), run interleaved
                                  --baseline-heap SIZE its -Xmx (default: the JVM's default heap)
                                  --work DIR           files and scratch output (target/preview-bench)
                                  --java PATH          java launcher (this JVM's)
                                  --timeout S          per run (600)
                                  --out FILE           also write the table and growth to FILE
                                  --verbose            print every sample""");
                        return null;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            o.jar = o.jar.toAbsolutePath();
            o.work = o.work.toAbsolutePath();
            o.baseline = o.baseline == null ? null : o.baseline.toAbsolutePath();
            if (!Files.isRegularFile(o.jar)) {
                throw new IllegalArgumentException("--jar " + o.jar + " does not exist: run ./mvnw package first");
            }
            if (o.baseline != null && !Files.isRegularFile(o.baseline)) {
                throw new IllegalArgumentException("--baseline " + o.baseline + " does not exist");
            }
            return o;
        }
    }
}
