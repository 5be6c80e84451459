package dev.ecrdigestguard.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Cold-start benchmark of the guard as Lambda runs it. Every sample is a fresh JVM started the way the managed
 * {@code java21} runtime starts one — its JVM options, its environment variables, the real runtime interface client
 * ({@code AWSLambda}) on the class path and the function loaded from {@code LAMBDA_TASK_ROOT} — talking to a local
 * Runtime API ({@link RuntimeApiEmulator}) and, for ECR and SNS, to a local stub ({@link AwsStub}) through
 * {@code AWS_ENDPOINT_URL}. A sample is the time from process start to the posted response.
 *
 * <p>Run it with {@code ./mvnw -B -Pcoldstart verify} (see docs/performance.md); {@code --help} lists the options.
 */
public final class ColdStartBenchmark {

    /** The managed runtime's launch options, from its command line (see docs/performance.md for the source). */
    static List<String> lambdaJvmOptions(int memoryMb, Path jniLibrary) {
        return List.of(
                "-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jniLibrary);
    }

    static final String GUARD_HANDLER = "dev.ecrdigestguard.lambda.PushGuardHandler::handleRequest";
    static final String FLOOR_HANDLER = FloorHandler.class.getName() + "::handleRequest";

    enum Case {
        A("a", "non-production push", "push-non-production.json", false),
        B("b", "production push, no collision", "push-production-unique.json", false),
        C("c", "production push, collision + SNS alert", "push-collision.json", false),
        D("d", "floor: handler only reads the event", "push-collision.json", true);

        final String key;
        final String title;
        final String eventFile;
        final boolean floor;

        Case(String key, String title, String eventFile, boolean floor) {
            this.key = key;
            this.title = title;
            this.eventFile = eventFile;
            this.floor = floor;
        }
    }

    /** One cold start; with SnapStart, {@code initMillis} is the time until the snapshot point (NaN otherwise). */
    /** A case run against the function under test, or against the baseline jar given with {@code --baseline}. */
    record Run(Case c, boolean baseline) {
        String label() {
            return "(" + c.key + ") " + c.title + (baseline ? " — baseline" : "");
        }
    }

    record Sample(double millis, double initMillis, long peakRssKb, long cpuMillis, String outcome,
                  Map<String, Integer> calls) { }

    private final Options options;
    private final Path work;
    private final Path jni;
    private final List<String> runtimeClasspath;
    private final Path guardTask;
    private final Path floorTask;
    private final Path baselineTask;
    private final AwsStub stub;
    private int sequence;

    private ColdStartBenchmark(Options options) throws IOException {
        this.options = options;
        this.work = options.workDirectory;
        Files.createDirectories(work.resolve("logs"));
        this.runtimeClasspath = runtimeClasspath();
        this.jni = extractJni(work.resolve("runtime"));
        this.guardTask = deployGuard(work.resolve("task-guard"), options.jar);
        this.floorTask = deployFloor(work.resolve("task-floor"));
        this.baselineTask = options.baselineJar == null ? null
                : deployGuard(work.resolve("task-baseline"), options.baselineJar);
        this.stub = new AwsStub(options.events.resolve("snapshot"));
        stub.servePolicy(options.servePolicy);
    }

    public static void main(String[] args) throws Exception {
        // The JDK's HTTP server writes headers and body apart; without TCP_NODELAY a client that delays its ACKs can
        // stall each answer by 40 ms, which would be the benchmark's cost, not the function's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        ColdStartBenchmark benchmark = new ColdStartBenchmark(options);
        try {
            benchmark.run();
        } finally {
            benchmark.stub.close();
        }
    }

    private void run() throws Exception {
        List<Case> cases = options.cases;
        System.out.printf("cold-start benchmark: %d samples per case after %d warm-up, memory %d MB, layout %s%n",
                options.samples, options.warmup, options.memoryMb, options.layout);
        System.out.println("java: " + options.java + " (" + javaVersion() + ")");
        System.out.println("runtime class path: " + String.join(":", runtimeClasspath));
        System.out.println("runtime client native part: " + jni + " (every sample checks it is mapped)");
        System.out.println("JVM options: " + String.join(" ", lambdaJvmOptions(options.memoryMb, jni))
                + (options.extraJvmOptions.isEmpty() ? "" : " " + String.join(" ", options.extraJvmOptions)));
        if (options.toolOptions != null) {
            System.out.println("JAVA_TOOL_OPTIONS: " + options.toolOptions);
        }
        if (options.appCdsArchive != null) {
            trainAppCds(options.appCdsArchive);
        }
        List<Run> runs = new ArrayList<>();
        for (Case c : cases) {
            runs.add(new Run(c, false));
            if (baselineTask != null && !c.floor) {
                runs.add(new Run(c, true));
            }
        }
        // The warm-up also warms this JVM's own Runtime API and stub servers, whose first answers are slow.
        for (Run run : runs) {
            for (int i = 0; i < options.warmup; i++) {
                sample(run, List.of());
            }
        }
        if (options.classLoading) {
            for (Case c : cases) {
                classLoading(c);
            }
        }
        Map<Run, List<Sample>> results = new LinkedHashMap<>();
        for (int i = 0; i < options.samples; i++) {
            for (Run run : runs) {
                results.computeIfAbsent(run, k -> new ArrayList<>()).add(sample(run, List.of()));
            }
        }
        String table = table(results);
        System.out.println();
        System.out.print(table);
        if (options.output != null) {
            Files.writeString(options.output, table, StandardCharsets.UTF_8);
            System.out.println("written to " + options.output);
        }
    }

    /** One cold start: a fresh JVM, one event, timed from process start until its answer reaches the Runtime API. */
    private Sample sample(Run run, List<String> moreJvmOptions) throws Exception {
        return sample(run, moreJvmOptions, null);
    }

    /** What to do with the process once it has answered, before it is killed (e.g. dump a CDS archive). */
    interface AfterAnswer {
        void accept(Process process) throws Exception;
    }

    private Sample sample(Run run, List<String> moreJvmOptions, AfterAnswer afterAnswer) throws Exception {
        Case c = run.c();
        byte[] event = Files.readAllBytes(options.events.resolve(c.eventFile));
        Path log = work.resolve("logs").resolve(c.key + "-" + (++sequence) + ".log");
        stub.takeCalls();
        try (RuntimeApiEmulator api = new RuntimeApiEmulator(event)) {
            ProcessBuilder builder = new ProcessBuilder(command(c, moreJvmOptions));
            builder.directory(task(run).toFile());
            builder.environment().clear();
            boolean training = afterAnswer != null;
            builder.environment().putAll(environment(run, api.address(), !training));
            builder.redirectErrorStream(true);
            builder.redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            api.watch(process);
            RuntimeApiEmulator.Outcome outcome;
            try {
                outcome = api.outcome().get(options.timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("case " + c.key + ": no answer within " + options.timeoutSeconds
                        + " s; the function's output is in " + log + ":\n" + tail(log));
            } finally {
                if (afterAnswer != null && process.isAlive()) {
                    afterAnswer.accept(process);
                }
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (!outcome.kind().equals("response")) {
                throw new IllegalStateException("case " + c.key + ": the function answered " + outcome.kind() + ": "
                        + outcome.body() + "\n" + tail(log));
            }
            if (!outcome.nativeClientLoaded()) {
                throw new IllegalStateException("case " + c.key + ": the runtime client's native library is not "
                        + "mapped in the process; the Runtime API calls did not go through it");
            }
            Map<String, Integer> calls = stub.takeCalls();
            if (calls.keySet().stream().anyMatch(k -> k.startsWith("UNSUPPORTED"))) {
                System.out.println("warning: case " + c.key + " made calls the stub does not answer: " + calls);
            }
            boolean restored = outcome.restoredAtNanos() > 0;
            double millis = (outcome.answeredAtNanos() - (restored ? outcome.restoredAtNanos() : start)) / 1e6;
            double initMillis = restored ? (outcome.restoredAtNanos() - start) / 1e6 : Double.NaN;
            if (options.verbose) {
                System.out.printf("  %s  %7.1f ms (init %7.1f ms)  cpu %5d ms  %6.1f MB  %s %s%n", c.key, millis,
                        initMillis, outcome.cpuMillis(),
                        outcome.peakRssKb() / 1024.0, outcome.body(), calls);
            }
            return new Sample(millis, initMillis, outcome.peakRssKb(), outcome.cpuMillis(), outcome.body(), calls);
        }
    }

    private List<String> command(Case c, List<String> moreJvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(options.java.toString());
        command.addAll(lambdaJvmOptions(options.memoryMb, jni));
        command.addAll(options.extraJvmOptions);
        command.addAll(moreJvmOptions);
        command.add("-classpath");
        command.add(String.join(File.pathSeparator, runtimeClasspath));
        command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        command.add(c.floor ? FLOOR_HANDLER : GUARD_HANDLER);
        return command;
    }

    private Path task(Run run) {
        return run.c().floor ? floorTask : run.baseline() ? baselineTask : guardTask;
    }

    /** The variables Lambda sets for a java21 function, plus the guard's own configuration. */
    private Map<String, String> environment(Run run, String runtimeApi, boolean withToolOptions) {
        Case c = run.c();
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ecr-digest-guard");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(options.memoryMb));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", options.snapStart ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/ecr-digest-guard");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef");
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", task(run).toString());
        env.put("LAMBDA_RUNTIME_DIR", work.resolve("runtime").toString());
        env.put("_HANDLER", c.floor ? FLOOR_HANDLER : GUARD_HANDLER);
        env.put("AWS_ACCESS_KEY_ID", "ASIABENCHMARKEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "benchmark/secret/key/not/a/real/one/000000");
        env.put("AWS_SESSION_TOKEN", "benchmark-session-token");
        env.put("AWS_ENDPOINT_URL", stub.endpoint());
        env.put("PRODUCTION_TAG_PATTERNS", "tag-*");
        env.put("ALERT_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard-alerts");
        if (options.toolOptions != null && withToolOptions) {
            env.put("JAVA_TOOL_OPTIONS", options.toolOptions);
        }
        env.putAll(options.extraEnvironment);
        return env;
    }

    /**
     * Records a dynamic application class-data-sharing archive from a run of case (c), the path that loads the most.
     * The archive is dumped with {@code jcmd VM.cds dynamic_dump} once the answer is in: the runtime never exits on
     * its own, and {@code -XX:ArchiveClassesAtExit} crashed when the JVM was terminated under the client's native
     * Runtime API call.
     */
    private void trainAppCds(Path archive) throws Exception {
        Files.deleteIfExists(archive);
        System.out.println("training AppCDS archive " + archive + " on case c");
        Path jcmd = options.java.resolveSibling("jcmd");
        sample(new Run(Case.C, false), List.of("-XX:+RecordDynamicDumpInfo"), process -> {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "VM.cds",
                    "dynamic_dump", archive.toString()).redirectErrorStream(true).start();
            String said = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!dump.waitFor(120, TimeUnit.SECONDS) || dump.exitValue() != 0) {
                throw new IllegalStateException("jcmd VM.cds dynamic_dump failed: " + said);
            }
        });
        if (!Files.exists(archive)) {
            throw new IllegalStateException("no archive written; see the last log in " + work.resolve("logs"));
        }
        System.out.printf("archive: %.1f MB%n", Files.size(archive) / 1e6);
    }

    /**
     * Where a cold start's time goes: the first class each step loads, in milliseconds since the JVM started. A step
     * that is missing did not happen in that case.
     */
    static final List<Map.Entry<String, String>> PHASES = List.of(
            Map.entry("handler class loaded (runtime up)", "dev.ecrdigestguard."),
            Map.entry("invocation received", "com.amazonaws.services.lambda.runtime.api.client.api.LambdaContext"),
            Map.entry("event read", "dev.ecrdigestguard.event.PushEvent"),
            Map.entry("HTTP client build", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"),
            Map.entry("  TLS trust store read (done eagerly by the URL-connection client)",
                    "sun.security.validator.TrustStoreUtil"),
            Map.entry("ECR client builder", "software.amazon.awssdk.services.ecr.DefaultEcrClientBuilder"),
            Map.entry("ECR client built", "software.amazon.awssdk.services.ecr.DefaultEcrClient"),
            Map.entry("DescribeImages marshalled", "software.amazon.awssdk.services.ecr.transform.DescribeImagesRequestMarshaller"),
            Map.entry("HTTP request sent", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient$RequestCallable"),
            Map.entry("DescribeImages answer parsed", "software.amazon.awssdk.services.ecr.model.ImageDetail$BuilderImpl"),
            Map.entry("alert rendering", "dev.ecrdigestguard.json.JsonText"),
            Map.entry("SNS client built", "software.amazon.awssdk.services.sns.DefaultSnsClient"),
            Map.entry("Publish marshalled", "software.amazon.awssdk.services.sns.transform.PublishRequestMarshaller"),
            Map.entry("Publish answer parsed (StAX)", "software.amazon.awssdk.services.sns.model.PublishResponse$BuilderImpl"));

    /** One extra run per case with class-load logging: how many classes, from where, from which packages, when. */
    private void classLoading(Case c) throws Exception {
        Path log = work.resolve("class-load-" + c.key + ".log");
        Files.deleteIfExists(log);
        Sample sample = sample(new Run(c, false), List.of("-Xlog:class+load=info:file=" + log + ":uptime"));
        List<String> lines = Files.readAllLines(log);
        Map<String, Integer> bySource = new TreeMap<>();
        Map<String, Integer> byPackage = new TreeMap<>();
        Map<String, Double> firstLoad = new LinkedHashMap<>();
        for (String line : lines) {
            int close = line.indexOf("s] ");
            if (!line.startsWith("[") || close < 0) {
                continue;
            }
            double at = Double.parseDouble(line.substring(1, close)) * 1000;
            String rest = line.substring(close + 3);
            String name = rest.split(" ", 2)[0];
            String source = rest.contains("source: shared objects file") ? "CDS archive"
                    : rest.contains("source: jrt:/") ? "JDK modules (not in CDS)"
                    : rest.contains("source: file:") || rest.contains("source: jar:") ? "class path / task root"
                    : "generated (lambdas, proxies)";
            bySource.merge(source, 1, Integer::sum);
            byPackage.merge(packageGroup(name), 1, Integer::sum);
            for (Map.Entry<String, String> phase : PHASES) {
                if (name.startsWith(phase.getValue())) {
                    firstLoad.putIfAbsent(phase.getKey(), at);
                }
            }
        }
        int total = bySource.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("class loading, case %s (%s): %d classes %s%n", c.key, c.title, total, bySource);
        byPackage.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(options.topPackages)
                .forEach(e -> System.out.printf("    %5d  %s%n", e.getValue(), e.getKey()));
        System.out.printf("  timeline (ms since JVM start, first class of each step; logging slows it a little):%n");
        firstLoad.forEach((phase, at) -> System.out.printf("    %7.0f  %s%n", at, phase));
        System.out.printf("    %7.0f  answer posted (ms since process start)%n", sample.millis());
    }

    static String packageGroup(String className) {
        String[] parts = className.split("\\.");
        int depth = className.startsWith("software.amazon.awssdk.services.") ? 5
                : className.startsWith("software.amazon.awssdk.") || className.startsWith("com.fasterxml.jackson.")
                || className.startsWith("com.amazonaws.services.lambda.") ? 4
                : 3;
        return String.join(".", Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
    }

    private String table(Map<Run, List<Sample>> results) {
        Sample[] none = new Sample[0];
        Run floorRun = new Run(Case.D, false);
        double floor = results.containsKey(floorRun)
                ? median(results.get(floorRun).stream().mapToDouble(Sample::millis).toArray()) : Double.NaN;
        StringBuilder out = new StringBuilder();
        double floorCpu = results.containsKey(floorRun)
                ? median(results.get(floorRun).stream().mapToDouble(Sample::cpuMillis).toArray()) : Double.NaN;
        out.append("| case | median ms | × floor (d) | min ms | max ms | CPU median ms | CPU × floor | "
                + "peak RSS median MB | peak RSS max MB | outcome | AWS calls |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Map.Entry<Run, List<Sample>> entry : results.entrySet()) {
            Run run = entry.getKey();
            Sample[] samples = entry.getValue().toArray(none);
            double[] millis = Arrays.stream(samples).mapToDouble(Sample::millis).toArray();
            double[] rss = Arrays.stream(samples).mapToDouble(s -> s.peakRssKb() / 1024.0).toArray();
            double median = median(millis);
            double cpu = median(Arrays.stream(samples).mapToDouble(Sample::cpuMillis).toArray());
            out.append(String.format(Locale.ROOT,
                    "| %s | %.0f | %.2f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %s | %s |%n",
                    run.label(), median, median / floor, min(millis), max(millis), cpu, cpu / floorCpu,
                    median(rss), max(rss),
                    outcomes(samples), samples[samples.length - 1].calls()));
        }
        if (options.snapStart) {
            out.append("\nSnapStart simulation: times are from restore/next (after the beforeCheckpoint hooks) to the "
                    + "answer; init up to the snapshot point, median ms: ");
            for (Map.Entry<Run, List<Sample>> entry : results.entrySet()) {
                out.append(String.format(Locale.ROOT, "%s: %.0f;  ", entry.getKey().label(),
                        median(entry.getValue().stream().mapToDouble(Sample::initMillis).toArray())));
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%n%d samples per case after %d warm-up per case, interleaved; "
                + "memory setting %d MB; layout %s.%n", options.samples, options.warmup, options.memoryMb,
                options.layout));
        return out.toString();
    }

    private static String outcomes(Sample[] samples) {
        return Arrays.stream(samples).map(s -> s.outcome().replaceAll("\"bytes\":\\d+", "").replaceAll("[{}\"]|,$", ""))
                .distinct().collect(Collectors.joining(" / "));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    // --- deployment as Lambda lays it out -------------------------------------------------------------------------

    /**
     * The runtime's own jars, in the order the managed runtime puts them on {@code -classpath}: lambda-java-core, the
     * runtime interface client, lambda-java-serialization (and utils-lite, which the client calls for trace ids).
     */
    private static List<String> runtimeClasspath() {
        return Stream.of(
                        "com.amazonaws.services.lambda.runtime.Context",
                        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                        "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                        "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")
                .map(ColdStartBenchmark::jarOf)
                .distinct()
                .toList();
    }

    private static String jarOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, ColdStartBenchmark.class.getClassLoader());
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the benchmark needs " + className + " on its class path", e);
        }
    }

    /** The runtime loads the client's native part from a fixed path instead of unpacking it on every start. */
    private static Path extractJni(Path runtimeDirectory) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String name = "libaws-lambda-jni.linux-" + arch + ".so";
        Path target = runtimeDirectory.resolve(name);
        Files.createDirectories(runtimeDirectory);
        try (InputStream in = Class.forName("com.amazonaws.services.lambda.runtime.api.client.AWSLambda")
                .getResourceAsStream("/jni/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the runtime interface client has no /jni/" + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return target;
    }

    /**
     * Lambda unzips the deployment package into {@code LAMBDA_TASK_ROOT}; the runtime loads the task root and the jars
     * in its {@code lib/}. Layout {@code extracted} is the shaded jar uploaded as the package (classes in the task
     * root); layout {@code lib-jar} is a zip holding {@code lib/ecr-digest-guard.jar}, which class-data sharing needs
     * (it archives classes from jars only); layout {@code sam} is what {@code sam build} makes of this Maven
     * project: the compiled classes in the task root and every runtime dependency as a jar in {@code lib/}.
     */
    private Path deployGuard(Path taskRoot, Path jar) throws IOException {
        deleteTree(taskRoot);
        Files.createDirectories(taskRoot);
        if (options.layout.equals("sam")) {
            copyTree(options.classes, taskRoot);
            copyTree(options.samLib, taskRoot.resolve("lib"));
        } else if (options.layout.equals("lib-jar")) {
            Files.createDirectories(taskRoot.resolve("lib"));
            Files.copy(jar, taskRoot.resolve("lib").resolve(jar.getFileName()));
        } else {
            unzip(jar, taskRoot);
        }
        return taskRoot;
    }

    private Path deployFloor(Path taskRoot) throws IOException {
        deleteTree(taskRoot);
        String entry = FloorHandler.class.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = FloorHandler.class.getClassLoader().getResourceAsStream(entry)) {
            bytes = in.readAllBytes();
        }
        if (options.layout.equals("lib-jar")) {
            Files.createDirectories(taskRoot.resolve("lib"));
            try (OutputStream file = Files.newOutputStream(taskRoot.resolve("lib/floor.jar"));
                 JarOutputStream jar = new JarOutputStream(file)) {
                jar.putNextEntry(new JarEntry(entry));
                jar.write(bytes);
                jar.closeEntry();
            }
        } else {
            Path target = taskRoot.resolve(entry);
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        }
        return taskRoot;
    }

    private static void copyTree(Path from, Path into) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException(from + " is missing: run the benchmark through the coldstart profile, which makes it");
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = into.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private String javaVersion() throws IOException, InterruptedException {
        Process version = new ProcessBuilder(options.java.toString(), "-version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor(30, TimeUnit.SECONDS);
        return text.lines().skip(1).findFirst().orElse("?").trim();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    // --- options ---------------------------------------------------------------------------------------------------

    static final class Options {
        Path jar = Path.of("target/ecr-digest-guard.jar");
        Path events = Path.of("events");
        Path workDirectory = Path.of("target/coldstart");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output;
        Path appCdsArchive;
        Path baselineJar;
        Path classes = Path.of("target/classes");
        Path samLib = Path.of("target/coldstart-sam-lib");
        int samples = 10;
        int warmup = 2;
        int memoryMb = 512;
        int timeoutSeconds = 60;
        int topPackages = 12;
        String layout = "extracted";
        String toolOptions;
        boolean classLoading;
        boolean servePolicy;
        boolean verbose;
        boolean snapStart;
        List<Case> cases = List.of(Case.A, Case.B, Case.C, Case.D);
        List<String> extraJvmOptions = new ArrayList<>();
        Map<String, String> extraEnvironment = new LinkedHashMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--samples" -> o.samples = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--memory" -> o.memoryMb = Integer.parseInt(args[++i]);
                    case "--timeout" -> o.timeoutSeconds = Integer.parseInt(args[++i]);
                    case "--cases" -> o.cases = Arrays.stream(args[++i].split(","))
                            .map(k -> Arrays.stream(Case.values()).filter(c -> c.key.equals(k.trim())).findFirst()
                                    .orElseThrow(() -> new IllegalArgumentException("--cases: unknown case '" + k
                                            + "', expected a, b, c or d")))
                            .toList();
                    case "--jar" -> o.jar = Path.of(args[++i]);
                    case "--classes" -> o.classes = Path.of(args[++i]);
                    case "--baseline" -> o.baselineJar = Path.of(args[++i]).toAbsolutePath();
                    case "--sam-lib" -> o.samLib = Path.of(args[++i]);
                    case "--events" -> o.events = Path.of(args[++i]);
                    case "--work" -> o.workDirectory = Path.of(args[++i]);
                    case "--java" -> o.java = Path.of(args[++i]);
                    case "--out" -> o.output = Path.of(args[++i]);
                    case "--layout" -> {
                        o.layout = args[++i];
                        if (!List.of("extracted", "lib-jar", "sam").contains(o.layout)) {
                            throw new IllegalArgumentException("--layout is '" + o.layout
                                    + "'; expected extracted, lib-jar or sam");
                        }
                    }
                    case "--jvm-opt" -> o.extraJvmOptions.add(args[++i]);
                    case "--tool-options" -> o.toolOptions = args[++i];
                    case "--env" -> {
                        String[] pair = args[++i].split("=", 2);
                        o.extraEnvironment.put(pair[0], pair.length > 1 ? pair[1] : "");
                    }
                    case "--appcds" -> o.appCdsArchive = Path.of(args[++i]).toAbsolutePath();
                    case "--class-loading" -> o.classLoading = true;
                    case "--lifecycle-policy" -> o.servePolicy = true;
                    case "--verbose" -> o.verbose = true;
                    case "--snapstart" -> o.snapStart = true;
                    case "--help" -> {
                        System.out.println("""
                                ColdStartBenchmark [options]
                                  --samples N          measured samples per case (10)
                                  --warmup N           discarded samples per case first (2)
                                  --cases a,b,c,d      which cases (all)
                                  --memory MB          Lambda memory setting: heap size and the env var (512)
                                  --layout L           extracted (the jar unzipped in the task root, as Lambda does
                                                       with a jar upload), lib-jar (task root/lib/<jar>) or sam
                                                       (what sam build makes: classes in the task root, dependency
                                                       jars in lib/; --classes DIR, --sam-lib DIR)
                                  --jar PATH           deployment jar (target/ecr-digest-guard.jar)
                                  --baseline PATH      another build of the function (e.g. before a change): its
                                                       cases run interleaved with the others, rows "— baseline"
                                  --java PATH          java launcher (this JVM's)
                                  --jvm-opt OPT        extra JVM option (repeatable)
                                  --tool-options S     JAVA_TOOL_OPTIONS for the function
                                  --env K=V            extra environment variable (repeatable)
                                  --appcds PATH        first record an AppCDS archive at PATH (training run of case c);
                                                       use it with --tool-options -XX:SharedArchiveFile=PATH
                                  --class-loading      one extra run per case with -Xlog:class+load, summarised
                                  --lifecycle-policy   the stub returns the recorded lifecycle policy
                                  --snapstart          initialise as for a SnapStart snapshot (hooks run, then
                                                       restore/next); times are then from restore to answer, and
                                                       the init up to the snapshot point is reported apart
                                  --out FILE           also write the table to FILE
                                  --verbose            print every sample""");
                        return null;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
                }
            }
            o.jar = o.jar.toAbsolutePath();
            o.events = o.events.toAbsolutePath();
            o.workDirectory = o.workDirectory.toAbsolutePath();
            o.classes = o.classes.toAbsolutePath();
            o.samLib = o.samLib.toAbsolutePath();
            if (o.baselineJar != null && o.layout.equals("sam")) {
                throw new IllegalArgumentException("--baseline compares jars; layout sam uses target/classes instead");
            }
            if (!Files.isRegularFile(o.jar)) {
                throw new IllegalArgumentException("--jar " + o.jar + " does not exist: run ./mvnw package first");
            }
            return o;
        }
    }
}
