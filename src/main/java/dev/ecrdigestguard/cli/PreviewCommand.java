package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.lifecycle.LifecycleEngine;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyException;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
import dev.ecrdigestguard.lifecycle.StreamingEvaluation;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import dev.ecrdigestguard.text.Echo;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code preview}: what a lifecycle policy does to the images of a {@code describe-images} file, and why. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = {"Simulates an ECR lifecycle policy over a repository's images: offline over an `aws ecr "
                + "describe-images` output file and a policy file, or live with --repository.",
                "For each image: keep, expire or transition to archive, the deciding rule, and for count rules the "
                        + "image's rank and headroom. With --against-ecr it also runs ECR's own lifecycle policy "
                        + "preview of the same policy and lists every image where ECR's answer and this simulation "
                        + "differ. Exit 0 on success (and agreement), 1 when ECR's preview differs, 2 for bad input or "
                        + "a policy ECR would reject (the reason is printed on stderr), 3 when an AWS call failed."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ecr-digest-guard preview --images snap/describe-images.json --policy snap/lifecycle-policy.json",
            "  ecr-digest-guard preview --region eu-west-1 --repository shop-api",
            "  ecr-digest-guard preview --region eu-west-1 --repository shop-api --against-ecr",
            "",
            "--against-ecr needs ecr:StartLifecyclePolicyPreview and ecr:GetLifecyclePolicyPreview on the repository.",
            "Environment: AWS_REGION, AWS_PROFILE and the AWS SDK's credential variables."})
public final class PreviewCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "FILE",
            description = "Output of `aws ecr describe-images --output json` (AWS CLI v1 or v2); with --policy.")
    Path images;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The lifecycle policy JSON, or the output of `aws ecr get-lifecycle-policy`; with --images.")
    Path policy;

    @Option(names = "--repository", paramLabel = "NAME",
            description = "Read the repository's images and lifecycle policy from ECR instead of files.")
    String repository;

    @Option(names = "--against-ecr",
            description = "With --repository: also run ECR's own lifecycle policy preview and list every image where"
                    + " it and this simulation differ (instead of the per-image table).")
    boolean againstEcr;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long --against-ecr waits for ECR's preview (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    AwsOptions aws;

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
        Optional<LiveRepository> live;
        try {
            at = parseInstant(now);
            live = liveInput();
            parsedPolicy = live.isPresent() ? live.get().policy() : LifecyclePolicyFile.read(policy);
        } catch (LifecyclePolicyException | IllegalArgumentException | UncheckedIOException e) {
            return badInput(err, e);
        }
        if (againstEcr) {
            LiveRepository repository = live.orElseThrow();
            return repository.compareWithEcr(LifecycleEngine.evaluate(parsedPolicy, repository.images(), at),
                    Duration.ofSeconds(timeoutSeconds), spec.commandLine().getOut(), format);
        }
        // Streamed: each decision is printed once it is final, so neither the images nor the output are held
        // (docs/lifecycle.md, "Preview output order"), and printed on a second thread while this one reads on. Bad
        // input half-way through leaves the output incomplete.
        BackgroundOutput output = new BackgroundOutput(PreviewOutput.of(format, spec.commandLine().getOut(), at));
        boolean evaluated = false;
        try {
            StreamingEvaluation evaluation = StreamingEvaluation.start(parsedPolicy, at, output);
            if (live.isPresent()) {
                live.get().images().forEach(evaluation);
            } else {
                DescribeImagesReader.read(images, evaluation);
            }
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
        err.println("preview: " + Echo.of(e.getMessage(), Echo.LINE));
        err.flush();
        return Main.BAD_INPUT;
    }

    /**
     * The repository read live with --repository; empty for the files of --images and --policy. Exactly one of the
     * two inputs, and --against-ecr only live, at the present time.
     */
    private Optional<LiveRepository> liveInput() {
        boolean files = images != null || policy != null;
        if (repository == null) {
            if (images == null || policy == null) {
                throw new IllegalArgumentException("give --images and --policy (recorded files), or --repository"
                        + " (read from ECR)");
            }
            if (againstEcr) {
                throw new IllegalArgumentException("--against-ecr compares with ECR's preview of a repository: give"
                        + " --repository instead of files");
            }
            return Optional.empty();
        }
        if (files) {
            throw new IllegalArgumentException("--repository reads the images and the policy from ECR: drop --images"
                    + " and --policy, or --repository");
        }
        if (againstEcr && now != null) {
            throw new IllegalArgumentException("--against-ecr compares with ECR's preview, which ECR evaluates now:"
                    + " drop --now");
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": expected a number of seconds, at"
                    + " least 1");
        }
        RepositoryName name = OptionValue.parse("--repository", () -> RepositoryName.of(repository));
        aws.apply();
        return Optional.of(LiveRepository.read(name));
    }

    /** {@code --now}, within the instants the engine supports; the current time when not given. */
    static Instant parseInstant(String text) {
        return text == null ? Instant.now() : InstantRange.parseIso(text, "--now");
    }
}
