package dev.ecrdigestguard.bench;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.lifecycle.LifecycleEngine;
import dev.ecrdigestguard.lifecycle.LifecycleEvaluation;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/** The five-rule policy of {@link SyntheticRepository} over 10 000, 100 000 and 1 000 000 images. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LifecycleEngineBenchmark {

    @Param({"10000", "100000", "1000000"})
    int images;

    private List<ImageRecord> repository;
    private LifecyclePolicy policy;

    @Setup
    public void generate() {
        repository = SyntheticRepository.images(images, 42);
        policy = SyntheticRepository.policy();
    }

    @Benchmark
    public LifecycleEvaluation evaluate() {
        return LifecycleEngine.evaluate(policy, repository, SyntheticRepository.NOW);
    }
}
