package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleEngine;
import dev.ecrdigestguard.lifecycle.LifecycleEvaluation;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyException;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import dev.ecrdigestguard.text.Echo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
        List<ImageRecord> records;
        Instant at;
        try {
            at = parseInstant(now);
            parsedPolicy = LifecyclePolicyFile.read(policy);
            records = DescribeImagesReader.readAll(images);
        } catch (LifecyclePolicyException | IllegalArgumentException | UncheckedIOException e) {
            err.println("preview: " + Echo.of(e.getMessage(), Echo.LINE));
            err.flush();
            return Main.BAD_INPUT;
        }
        LifecycleEvaluation evaluation = LifecycleEngine.evaluate(parsedPolicy, records, at);
        List<ImageDecision> youngestFirst = new ArrayList<>(evaluation.decisions());
        youngestFirst.sort(Comparator.comparing((ImageDecision d) -> LifecycleEngine.rankTime(d.image())).reversed()
                .thenComparing(ImageDecision::digest));
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (format == OutputFormat.json) {
                writeJson(out, youngestFirst);
            } else {
                writeText(out, youngestFirst, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        return Main.OK;
    }

    /** {@code --now}, within the instants the engine supports; the current time when not given. */
    static Instant parseInstant(String text) {
        return text == null ? Instant.now() : InstantRange.parseIso(text, "--now");
    }

    private static void writeJson(PrintWriter out, List<ImageDecision> decisions) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeArrayFieldStart("images");
            for (ImageDecision decision : decisions) {
                ImageRecord image = decision.image();
                json.writeStartObject();
                json.writeStringField("imageDigest", image.digest().value());
                LifecycleJson.tags(json, "imageTags", image.tags());
                json.writeStringField("action", decision.action().name());
                LifecycleJson.ruleAndStanding(json, decision.decidingRule(), decision.standing());
                json.writeStringField("imagePushedAt", image.pushedAt().toString());
                json.writeStringField("storageClass", image.storageClass().name());
                if (decision instanceof ImageDecision.Keep keep && keep.heldByIndex().isPresent()) {
                    json.writeStringField("heldByIndex", keep.heldByIndex().get().value());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.println();
    }

    private static void writeText(PrintWriter out, List<ImageDecision> decisions, Instant at) {
        Map<ImageDecision.Action, Integer> counts = new EnumMap<>(ImageDecision.Action.class);
        for (ImageDecision decision : decisions) {
            counts.merge(decision.action(), 1, Integer::sum);
            ImageRecord image = decision.image();
            String tags = image.tags().isEmpty() ? "<untagged>"
                    : String.join(",", image.tags().stream().map(Object::toString).toList());
            String why = LifecycleJson.standingText(decision.decidingRule(), decision.standing());
            if (decision instanceof ImageDecision.Keep keep && keep.heldByIndex().isPresent()) {
                why += ", held by index " + keep.heldByIndex().get().shortForm();
            }
            out.printf("%-10s %s  %s  %s  %s%n", decision.action(), image.digest().shortForm(),
                    image.pushedAt(), tags, why);
        }
        out.printf("%d images as of %s: %d expire, %d transition to archive, %d kept%n", decisions.size(), at,
                counts.getOrDefault(ImageDecision.Action.EXPIRE, 0),
                counts.getOrDefault(ImageDecision.Action.TRANSITION, 0),
                counts.getOrDefault(ImageDecision.Action.KEEP, 0));
    }
}
