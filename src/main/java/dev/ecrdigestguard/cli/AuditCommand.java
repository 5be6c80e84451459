package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.lifecycle.RepositoryAudit.ProductionImage;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit}: per repository, the digests holding several production tags, the production images the lifecycle
 * policy expires or that are outranked because of a shared digest, and whether ECR would accept the policy.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Audits repositories for releases at risk from their lifecycle policy.",
                "Reports digests holding several production tags, production images expiring now or outranked in a "
                        + "count rule, and the policy verdict. Without production tag patterns, the tag patterns of "
                        + "each policy's tagged imageCountMoreThan rules count as production. Reads a recorded "
                        + "snapshot offline, or ECR live through "
                        + "the default credential chain. Exit 0 nothing at risk, 1 something at risk, 2 bad input, "
                        + "3 a repository could not be read from ECR."})
public final class AuditCommand implements Callable<Integer> {

    /** The live registry: repositories to list and a catalog to read them through. Closed when the audit ends. */
    public interface LiveRegistry extends AutoCloseable {
        RepositoryLister repositories();

        ImageCatalog catalog();

        @Override
        void close();
    }

    static final class Source {
        @Option(names = "--snapshot", paramLabel = "DIR", required = true,
                description = "A snapshot directory (describe-images.json, optional lifecycle-policy.json), or a"
                        + " directory of them, one per repository.")
        Path snapshot;

        @Option(names = "--repository", paramLabel = "NAME", arity = "1..*", required = true,
                description = "Repositories to read from ECR.")
        List<String> repositories;

        @Option(names = "--all-repositories", required = true,
                description = "Every repository of the registry (DescribeRepositories).")
        boolean allRepositories;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    ProductionTagsOption productionTags;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--now", paramLabel = "ISO-8601", description = "Evaluate as of this instant; default: now.")
    String now;

    @Spec
    CommandSpec spec;

    private final Supplier<LiveRegistry> live;

    public AuditCommand() {
        this(LiveEcr::connect);
    }

    AuditCommand(Supplier<LiveRegistry> live) {
        this.live = live;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<ProductionTags> releases;
        Instant at;
        try {
            releases = productionTags.optional();
            at = PreviewCommand.parseInstant(now);
        } catch (IllegalArgumentException e) {
            err.println("audit: " + e.getMessage());
            err.flush();
            return 2;
        }
        List<RepositoryAudit> audits = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean awsFailed = false;
        try {
            if (source.snapshot != null) {
                auditSnapshots(source.snapshot, releases, at, audits, failures);
            } else {
                awsFailed = auditLive(releases, at, audits, failures);
            }
        } catch (CatalogException e) {
            failures.add(e.getMessage());
            awsFailed = true;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            failures.add(e.getMessage());
        }
        render(audits);
        failures.forEach(failure -> err.println("audit: " + failure));
        err.flush();
        if (awsFailed) {
            return Main.AWS_FAILURE;
        }
        if (!failures.isEmpty()) {
            return Main.BAD_INPUT;
        }
        return audits.stream().anyMatch(RepositoryAudit::atRisk) ? Main.FINDINGS : Main.OK;
    }

    private void auditSnapshots(Path directory, Optional<ProductionTags> releases, Instant at,
            List<RepositoryAudit> audits, List<String> failures) {
        if (Files.isRegularFile(directory.resolve("describe-images.json"))) {
            audits.add(auditSnapshot(directory, releases, at));
            return;
        }
        List<Path> snapshots;
        try (Stream<Path> children = Files.list(directory)) {
            snapshots = children.filter(child -> Files.isRegularFile(child.resolve("describe-images.json")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshot directory " + directory + ": " + e.getMessage(), e);
        }
        if (snapshots.isEmpty()) {
            failures.add(directory + " holds no describe-images.json, nor directories that do");
        }
        for (Path snapshot : snapshots) {
            audits.add(auditSnapshot(snapshot, releases, at));
        }
    }

    private static RepositoryAudit auditSnapshot(Path directory, Optional<ProductionTags> releases, Instant at) {
        AtomicReference<Optional<RepositoryName>> named = new AtomicReference<>(Optional.empty());
        Path describeImages = directory.resolve("describe-images.json");
        Path policyFile = directory.resolve("lifecycle-policy.json");
        try (InputStream in = Files.newInputStream(describeImages)) {
            Optional<String> policy = Files.isRegularFile(policyFile)
                    ? Optional.of(Files.readString(policyFile, StandardCharsets.UTF_8))
                    : Optional.empty();
            // Streamed: the audit holds the production images, not the repository (a million images fit -Xmx256m).
            RepositoryAudit.Auditing auditing = RepositoryAudit.auditing(policy, releases, at);
            DescribeImagesReader.readEntries(in, entry -> {
                auditing.accept(entry.image());
                if (named.get().isEmpty()) {
                    named.set(entry.repository());
                }
            });
            return auditing.finish(named.get().orElseGet(() -> repositoryNamed(directory)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + directory + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describeImages + ": " + e.getMessage(), e);
        }
    }

    private static RepositoryName repositoryNamed(Path directory) {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return RepositoryName.of(name == null ? "snapshot" : name.toString());
    }

    /** Audits the registry's repositories; true when reading one of them failed. */
    private boolean auditLive(Optional<ProductionTags> releases, Instant at, List<RepositoryAudit> audits,
            List<String> failures) {
        boolean failed = false;
        try (LiveRegistry registry = live.get()) {
            List<RepositoryName> names = new ArrayList<>();
            if (source.allRepositories) {
                registry.repositories().forEachRepository(names::add);
            } else {
                source.repositories.forEach(name -> names.add(RepositoryName.of(name)));
            }
            Progress progress = new Progress(spec.commandLine().getErr(), names.size());
            for (RepositoryName name : names) {
                progress.show(name);
                try {
                    List<ImageRecord> images = new ArrayList<>();
                    registry.catalog().forEachImage(name, image -> {
                        images.add(image);
                        progress.image();
                    });
                    Optional<String> policy = registry.catalog().lifecyclePolicyText(name);
                    audits.add(RepositoryAudit.of(name, policy, images, releases, at));
                } catch (CatalogException e) {
                    failures.add(name + ": " + e.getMessage());
                    failed = true;
                }
            }
            progress.done();
        }
        return failed;
    }

    /** Progress on stderr, only for a person watching a terminal; pipes and CI logs stay clean. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean enabled = System.console() != null;
        private int current;
        private long images;

        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        void show(RepositoryName name) {
            current++;
            if (enabled) {
                err.printf("\r\u001b[Kaudit %d/%d %s", current, total, name);
                err.flush();
            }
        }

        void image() {
            images++;
            if (enabled && images % 1000 == 0) {
                err.printf("\r\u001b[Kaudit %d/%d: %d images read", current, total, images);
                err.flush();
            }
        }

        void done() {
            if (enabled) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }

    private void render(List<RepositoryAudit> audits) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            try {
                writeJson(out, audits);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            audits.forEach(audit -> writeText(out, audit));
        }
        out.flush();
    }

    private static void writeText(PrintWriter out, RepositoryAudit audit) {
        out.printf("%s: %d images, policy %s (%s)%n", audit.repository(), audit.imageCount(),
                audit.policy().status().name().toLowerCase(), audit.policy().detail());
        for (ProductionImage image : audit.sharedDigests()) {
            out.printf("  shared digest %s holds %s; first pushed %s; %s, %s%n", image.digest().shortForm(),
                    image.productionTags(), image.rankedAt(), image.action(),
                    LifecycleJson.standingText(image.rule(), image.standing()));
        }
        for (ProductionImage image : audit.expiring()) {
            out.printf("  %s %s %s within 24 hours by %s%n", image.productionTags(), image.digest().shortForm(),
                    image.action() == dev.ecrdigestguard.lifecycle.ImageDecision.Action.EXPIRE
                            ? "is deleted" : "is archived",
                    LifecycleJson.standingText(image.rule(), image.standing()));
        }
        for (ProductionImage image : audit.outranked()) {
            out.printf("  %s %s outranked by %d production image%s pushed after its digest (%s)%n",
                    image.productionTags(), image.digest().shortForm(), image.productionAbove(),
                    image.productionAbove() == 1 ? "" : "s", LifecycleJson.standingText(image.rule(), image.standing()));
        }
        out.printf("  verdict: %s%n", audit.atRisk() ? "AT RISK" : "ok");
    }

    private static void writeJson(PrintWriter out, List<RepositoryAudit> audits) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeArrayFieldStart("repositories");
            for (RepositoryAudit audit : audits) {
                json.writeStartObject();
                json.writeStringField("repository", audit.repository().value());
                json.writeNumberField("imageCount", audit.imageCount());
                json.writeObjectFieldStart("policy");
                json.writeStringField("status", audit.policy().status().name());
                json.writeStringField("detail", audit.policy().detail());
                json.writeEndObject();
                writeImages(json, "sharedDigests", audit.sharedDigests());
                writeImages(json, "expiring", audit.expiring());
                writeImages(json, "outranked", audit.outranked());
                json.writeBooleanField("atRisk", audit.atRisk());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.println();
    }

    private static void writeImages(JsonGenerator json, String field, List<ProductionImage> images) throws IOException {
        json.writeArrayFieldStart(field);
        for (ProductionImage image : images) {
            json.writeStartObject();
            json.writeStringField("imageDigest", image.digest().value());
            LifecycleJson.tags(json, "productionTags", image.productionTags());
            LifecycleJson.tags(json, "imageTags", image.tags());
            json.writeStringField("imagePushedAt", image.rankedAt().toString());
            json.writeStringField("action", image.action().name());
            LifecycleJson.ruleAndStanding(json, image.rule(), image.standing());
            json.writeNumberField("productionImagesAbove", image.productionAbove());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
