package dev.ecrdigestguard.bench;

import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.StreamingEvaluation;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code preview} does per image once the JVM is warm, without printing: a {@code describe-images} file of the
 * {@link SyntheticRepository} (CLI v2 layout) read and evaluated by the streaming engine under the five-rule policy, in
 * a 256 MB heap, at 10,000, 100,000 and 1,000,000 images: linear growth shows as the same time per image at every
 * size (docs/performance.md divides).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class StreamingEvaluationBenchmark {

    @Param({"10000", "100000", "1000000"})
    int images;

    private Path file;
    private LifecyclePolicy policy;

    @Setup
    public void write() throws IOException {
        file = Files.createTempFile("describe-images-", ".json");
        SyntheticRepository.writeDescribeImagesFile(file, images);
        policy = SyntheticRepository.policy();
    }

    @TearDown
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long readAndEvaluate() {
        long[] decisions = {0};
        StreamingEvaluation evaluation = StreamingEvaluation.start(policy, SyntheticRepository.NOW,
                decision -> decisions[0]++);
        DescribeImagesReader.read(file, evaluation);
        evaluation.finish();
        if (decisions[0] != images) {
            throw new IllegalStateException(decisions[0] + " decisions for " + images + " images");
        }
        return decisions[0];
    }
}
