package dev.ecrdigestguard.bench;

import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * Streaming read of a large {@code describe-images} file (CLI v2 layout, pretty-printed as the CLI prints it). The
 * sink only counts, so the heap (256 MB here, for a file several times larger) shows the reader holds no tree.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class DescribeImagesReaderBenchmark {

    @Param({"1000000"})
    int images;

    private Path file;

    @Setup
    public void write() throws IOException {
        file = Files.createTempFile("describe-images-", ".json");
        SyntheticRepository.writeDescribeImagesFile(file, images);
    }

    @TearDown
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long readStreaming() throws IOException {
        long[] count = {0};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DescribeImagesReader.read(in, image -> count[0]++);
        }
        return count[0];
    }
}
