package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyException;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
import dev.ecrdigestguard.lifecycle.StreamingEvaluation;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code preview}: what a lifecycle policy does to the images of a {@code describe-images} file, and why. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = {"Simulates an ECR lifecycle policy offline over an `aws ecr describe-images` output file.",
                "For each image: keep, expire or transition to archive, the deciding rule, and for count rules the "
                        + "image's rank and headroom. Exit 0 on success, 2 for bad input or a policy ECR would reject "
                        + "(the reason is printed on stderr)."})
public final class PreviewCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, paramLabel = "FILE",
            description = "Output of `aws ecr describe-images` (AWS CLI v1 or v2).")
    Path images;

    @Option(names = "--policy", required = true, paramLabel = "FILE",
            description = "The lifecycle policy JSON, or the output of `aws ecr get-lifecycle-policy`.")
    Path policy;

    @Option(names = "--now", paramLabel = "ISO-8601",
            description = "Evaluate as of this instant (e.g. 2024-06-30T12:00:00Z); default: the current time.")
    String now;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LifecyclePolicy parsedPolicy;
        Instant at;
        try {
            at = parseInstant(now);
            parsedPolicy = LifecyclePolicyFile.read(policy);
        } catch (LifecyclePolicyException | IllegalArgumentException | UncheckedIOException e) {
            return badInput(err, e);
        }
        // Streamed: each decision is printed once it is final, so neither the images nor the output are held
        // (docs/lifecycle.md, "Preview output order"), and printed on a second thread while this one reads on. Bad
        // input half-way through leaves the output incomplete.
        BackgroundOutput output = new BackgroundOutput(PreviewOutput.of(format, spec.commandLine().getOut(), at));
        boolean evaluated = false;
        try {
            StreamingEvaluation evaluation = StreamingEvaluation.start(parsedPolicy, at, output);
            DescribeImagesReader.read(images, evaluation);
            evaluation.finish();
            evaluated = true;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            output.abandon();
            return badInput(err, e);
        } finally {
            if (!evaluated) {
                output.abandon(); // anything else (OutOfMemoryError included) goes on to Main, the writer stopped
            }
        }
        output.finish();
        return Main.OK;
    }

    private static int badInput(PrintWriter err, RuntimeException e) {
        err.println("preview: " + e.getMessage());
        err.flush();
        return Main.BAD_INPUT;
    }

    static Instant parseInstant(String text) {
        return text == null ? Instant.now() : InstantRange.parseIso(text, "--now");
    }
}
