package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.config.ConfigurationException;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.guard.AccountAccessException;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.LifecycleFindings;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.guard.RepositoryScan;
import dev.ecrdigestguard.guard.ScanOutcome;
import dev.ecrdigestguard.guard.ScanSummary;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.ledger.JsonFileLedger;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.snapshot.DescribeImagesReader;
import dev.ecrdigestguard.text.Echo;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code audit}: per repository, the digests holding several production tags, the production images the lifecycle
 * policy expires or that are outranked because of a shared digest, and whether ECR would accept the policy.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Audits repositories for releases the lifecycle policy takes out of turn.",
                "A release is at risk when the policy expires (or archives) its image now or within --within, but "
                        + "would keep it if the image ranked by the time its newest release tag was first seen "
                        + "(from --ledger) rather than by its digest's first push. Those are listed first and in the "
                        + "top-level findings; ordinary rotation (the oldest releases leaving as the rule intends), "
                        + "shared digests and outranked releases appear in the per-repository report. Without "
                        + "production tag patterns, the tag patterns of each policy's tagged imageCountMoreThan rules "
                        + "count as production. Reads a recorded snapshot offline, or ECR live through the default "
                        + "credential chain; with --accounts or --organization and --regions, every account and region "
                        + "through --role-name (an account that refuses it is skipped and reported). Exit 0 no release at risk, 1 a release at risk, 2 bad input, 3 a "
                        + "repository could not be read from ECR."})
public final class AuditCommand implements Callable<Integer> {

    /** The live registry: repositories to list and a catalog to read them through. Closed when the audit ends. */
    public interface LiveRegistry extends AutoCloseable {
        RepositoryLister repositories();

        ImageCatalog catalog();

        /** Requests the registry throttled so far (the client slowed down and retried them). */
        default long throttledRequests() {
            return 0;
        }

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

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json|table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--now", paramLabel = "ISO-8601", description = "Evaluate as of this instant; default: now.")
    String now;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Release ledger (JSON, as `check --ledger` writes it): when each release tag was first seen. "
                    + "Without it, or for a tag it doesn't hold, a release is judged by its digest's push time.")
    Path ledger;

    @Option(names = "--within", paramLabel = "DURATION", defaultValue = "24h",
            description = "Also report releases that age rules take out of turn within this long: e.g. 24h, 7d, "
                    + "90m, 0 for now only (default: ${DEFAULT-VALUE}).")
    String within;

    // ---- many accounts (issue 14): which accounts and regions a live audit covers

    @Option(names = "--accounts", split = ",", paramLabel = "ID",
            description = "Audit these accounts (comma-separated); another account than yours is read through "
                    + "--role-name there.")
    List<String> accounts;

    @Option(names = "--organization",
            description = "Audit every active account of your organization (organizations:ListAccounts: run it from "
                    + "the management account or a delegated administrator).")
    boolean organization;

    @Option(names = "--regions", split = ",", paramLabel = "REGION",
            description = "Audit these regions of each account (comma-separated). Default: your default region.")
    List<String> regions;

    @Option(names = "--role-name", paramLabel = "NAME",
            description = "The role to assume in each account other than yours; an account that refuses it is "
                    + "reported and skipped. Default: $MEMBER_ROLE_NAME.")
    String roleName;

    /** {@code MEMBER_ROLE_NAME}; replaced in tests. */
    Map<String, String> environment = System.getenv();

    private final Function<Optional<MemberRole>, AuditTargets.Registries> registries;
    /** Which account and region each audited repository belongs to, when the audit covers several. */
    private final Map<RepositoryAudit, AccountRegion> registryOf = new IdentityHashMap<>();
    private final List<AuditTargets.Skipped> skipped = new ArrayList<>();

    // ---- end of many accounts
    @Mixin
    AwsOptions aws;

    @Option(names = "--concurrency", paramLabel = "N",
            defaultValue = "" + RepositoryScan.Settings.DEFAULT_CONCURRENCY,
            description = "Repositories read from ECR at a time, 1 to " + RepositoryScan.Settings.MAX_CONCURRENCY
                    + " (default: ${DEFAULT-VALUE}). When ECR throttles beyond what the SDK's retries absorb, the "
                    + "audit reads fewer at a time and tries those repositories again.")
    int concurrency;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    private final Supplier<LiveRegistry> live;

    public AuditCommand() {
        this(null, LiveEcrAccounts::connect);
    }

    AuditCommand(Supplier<LiveRegistry> live) {
        this(live, role -> {
            throw new IllegalStateException("this audit has one registry");
        });
    }

    AuditCommand(Supplier<LiveRegistry> live, Function<Optional<MemberRole>, AuditTargets.Registries> registries) {
        this.live = live;
        this.registries = registries;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Judgement releases;
        Optional<MemberRole> memberRole;
        RepositoryScan.Settings scanSettings;
        try {
            releases = new Judgement(productionTags.optional(), PreviewCommand.parseInstant(now),
                    Durations.parse(within, "--within"),
                    ledger == null ? ReleaseLedger.none() : new JsonFileLedger(ledger));
            memberRole = memberRole();
            scanSettings = concurrency();
        } catch (IllegalArgumentException | UncheckedIOException | ConfigurationException e) {
            err.println("audit: " + Echo.of(e.getMessage(), Echo.LINE));
            err.flush();
            return 2;
        }
        Instant at = releases.at();
        List<RepositoryAudit> audits = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        // As each repository is judged, its releases at risk are printed (text): they come first, and a long audit
        // shows them as it finds them. The per-repository report and JSON, one document, follow at the end.
        Consumer<RepositoryAudit> audited = audit -> {
            audits.add(audit);
            if (format == OutputFormat.text) {
                writeAtRisk(out, findings(audit, at));
                out.flush();
            }
        };
        List<String> failures = new ArrayList<>();
        boolean awsFailed = false;
        try {
            if (source.snapshot != null) {
                auditSnapshots(source.snapshot, releases, at, audited, failures);
            } else if (acrossRegistries()) {
                awsFailed = auditAcross(memberRole, releases, at, scanSettings, audited, failures);
            } else {
                awsFailed = auditLive(releases, at, scanSettings, audited, failures);
            }
        } catch (CatalogException e) {
            failures.add(e.getMessage());
            awsFailed = true;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            failures.add(e.getMessage());
        }
        audits.sort(Comparator.comparing((RepositoryAudit audit) -> registryOf.containsKey(audit)
                        ? registryOf.get(audit).describe() : "").thenComparing(RepositoryAudit::repository));
        List<LifecycleExpiryFinding> findings = audits.stream().flatMap(audit -> findings(audit, at).stream()).toList();
        render(audits, findings);
        skipped.forEach(skip -> err.println("audit: skipped " + skip.registry().describe() + ": "
                + Echo.of(skip.reason(), Echo.LINE)));
        failures.forEach(failure -> err.println("audit: " + Echo.of(failure, Echo.LINE)));
        err.flush();
        if (awsFailed) {
            return Main.AWS_FAILURE;
        }
        if (!failures.isEmpty()) {
            return Main.BAD_INPUT;
        }
        return findings.isEmpty() ? Main.OK : Main.FINDINGS;
    }

    private static List<LifecycleExpiryFinding> findings(RepositoryAudit audit, Instant at) {
        return audit.outOfTurn().stream().map(standing -> LifecycleFindings.expiry(audit.repository(), standing, at))
                .toList();
    }

    private RepositoryScan.Settings concurrency() {
        try {
            return RepositoryScan.Settings.of(concurrency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--concurrency: " + e.getMessage(), e);
        }
    }

    /**
     * How every repository is judged: the one release-safety judgement of the push path and the sweep, with this
     * command's production tags, instant, look-ahead and ledger.
     */
    private record Judgement(Optional<ProductionTags> productionTags, Instant at, Duration within,
                             ReleaseLedger ledger) {

        RepositoryAudit judge(RepositoryLocation location, Optional<String> policy, List<ImageRecord> images) {
            return RepositoryAudit.of(location.name(), policy, images, productionTags,
                    LifecycleFindings.recorded(ledger.releases(location), images), at, within);
        }
    }

    private void auditSnapshots(Path directory, Judgement releases, Instant at,
            Consumer<RepositoryAudit> audited, List<String> failures) {
        if (Files.isRegularFile(directory.resolve("describe-images.json"))) {
            audited.accept(auditSnapshot(directory, releases, at));
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
            audited.accept(auditSnapshot(snapshot, releases, at));
        }
    }

    private static RepositoryAudit auditSnapshot(Path directory, Judgement releases, Instant at) {
        List<ImageRecord> images = new ArrayList<>();
        AtomicReference<Optional<RepositoryName>> named = new AtomicReference<>(Optional.empty());
        Path describeImages = directory.resolve("describe-images.json");
        try (InputStream in = Files.newInputStream(describeImages)) {
            DescribeImagesReader.readEntries(in, entry -> {
                images.add(entry.image());
                if (named.get().isEmpty()) {
                    named.set(entry.repository());
                }
            });
            Path policyFile = directory.resolve("lifecycle-policy.json");
            Optional<String> policy = Files.isRegularFile(policyFile)
                    ? Optional.of(LifecyclePolicyFile.readText(policyFile))
                    : Optional.empty();
            RepositoryName repository = named.get().orElseGet(() -> repositoryNamed(directory));
            return releases.judge(new RepositoryLocation("", "", repository), policy, images);
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

    // --- live audit: repositories read by guard.RepositoryScan (issue 13) -------------------------------------

    /** Audits the registry's repositories; true when reading one of them failed. */
    private boolean auditLive(Judgement releases, Instant at, RepositoryScan.Settings settings,
            Consumer<RepositoryAudit> audited, List<String> failures) {
        Supplier<LiveRegistry> connect = live != null ? live : () -> {
            aws.apply();
            return LiveEcr.connect();
        };
        try (LiveRegistry registry = connect.get()) {
            return auditRegistry(registry, Optional.empty(), releases, settings, audited, failures);
        }
    }

    /**
     * Audits a registry's repositories, several at a time, each handed to {@code audited} as it is done (so in the
     * order they finish); true when one of them could not be read. {@code where} names the account and region of a
     * registry among several; failures are prefixed with it.
     */
    private boolean auditRegistry(LiveRegistry registry, Optional<AccountRegion> where, Judgement releases,
            RepositoryScan.Settings settings, Consumer<RepositoryAudit> audited, List<String> failures) {
        String label = where.map(target -> target.describe() + ": ").orElse("");
        Set<RepositoryName> names = new LinkedHashSet<>();
        if (source.allRepositories) {
            registry.repositories().forEachRepository(names::add);
        } else {
            source.repositories.forEach(name -> names.add(RepositoryName.of(name)));
        }
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = main == null ? Terminal.NONE : main.terminal;
        Progress progress = new Progress(err, terminal.showsProgress(), "audit", names.size());
        ScanSummary summary = new RepositoryScan(registry.catalog(), settings, Clock.systemUTC()).scan(
                names::forEach,
                contents -> releases.judge(new RepositoryLocation(where.map(AccountRegion::account).orElse(""),
                        where.map(AccountRegion::region).orElse(""), contents.repository()),
                        contents.lifecyclePolicy(), contents.images()),
                outcome -> {
                    // The progress line shares the terminal with the report: clear it before writing.
                    progress.done();
                    if (outcome instanceof ScanOutcome.Read<RepositoryAudit> read) {
                        where.ifPresent(target -> registryOf.put(read.result(), target));
                        audited.accept(read.result());
                    } else if (outcome instanceof ScanOutcome.Failed<RepositoryAudit> failed) {
                        failures.add(label + failed.repository() + ": " + failed.failure().reason());
                    }
                    progress.throttled(registry.throttledRequests());
                    progress.repository(outcome.repository());
                });
        progress.done();
        String note = Progress.throttlingNote("audit", registry.throttledRequests(), "ECR");
        if (!note.isEmpty()) {
            err.println(note);
        }
        if (summary.retries() > 0) {
            err.printf("audit: %sECR throttled or failed some reads: %d retried, down to %d repositor%s at a time%n",
                    label, summary.retries(), summary.lowestConcurrency(),
                    summary.lowestConcurrency() == 1 ? "y" : "ies");
        }
        return !summary.failed().isEmpty();
    }

    // --- end of the live audit ------------------------------------------------------------------------------------

    // ---- many accounts (issue 14)

    private boolean acrossRegistries() {
        return accounts != null || organization || regions != null;
    }

    /** --role-name, else MEMBER_ROLE_NAME; the fan-out options read ECR live. */
    private Optional<MemberRole> memberRole() {
        if (acrossRegistries() && source.snapshot != null) {
            throw new IllegalArgumentException("--accounts, --organization and --regions read ECR live; they don't "
                    + "combine with --snapshot");
        }
        if (accounts != null && organization) {
            throw new IllegalArgumentException("--accounts and --organization are mutually exclusive");
        }
        return MemberRole.parse(roleName, "--role-name").or(() -> MemberRole.fromEnvironment(environment));
    }

    /**
     * Audits every account and region chosen, each through its own credentials and client. An account whose role is
     * refused is skipped and reported; a registry that fails to read is reported and the audit goes on. True when a
     * registry failed, or when every one was skipped.
     */
    private boolean auditAcross(Optional<MemberRole> memberRole, Judgement releases, Instant at,
            RepositoryScan.Settings settings, Consumer<RepositoryAudit> audited, List<String> failures) {
        boolean failed = false;
        aws.apply();
        try (AuditTargets.Registries live = registries.apply(memberRole)) {
            List<AccountRegion> targets = AuditTargets.select(Optional.ofNullable(accounts),
                    Optional.ofNullable(regions), memberRole.isPresent(), live);
            for (AccountRegion target : targets) {
                LiveRegistry registry;
                try {
                    registry = live.at(target);
                } catch (AccountAccessException e) {
                    if (e.retryable()) {
                        failures.add(target.describe() + ": " + e.getMessage());
                        failed = true;
                    } else {
                        skipped.add(new AuditTargets.Skipped(target, e.getMessage()));
                    }
                    continue;
                }
                try {
                    failed |= auditRegistry(registry, Optional.of(target), releases, settings, audited, failures);
                } catch (CatalogException e) {
                    failures.add(target.describe() + ": " + e.getMessage());
                    failed = true;
                }
            }
            return failed || (!targets.isEmpty() && skipped.size() == targets.size());
        } catch (ServiceFailure e) {
            failures.add(e.getMessage());
            return true;
        }
    }

    // ---- end of many accounts

    private void render(List<RepositoryAudit> audits, List<LifecycleExpiryFinding> findings) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            try {
                writeJson(out, audits, findings);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (format == OutputFormat.table) {
            FindingsTable.ofAudit(audits, findings, out);
        } else {
            // The releases at risk were printed as their repositories were judged.
            AccountRegion shown = null;
            for (RepositoryAudit audit : audits) {
                AccountRegion registry = registryOf.get(audit);
                if (registry != null && !registry.equals(shown)) {
                    out.printf("%s%n", registry.describe());
                    shown = registry;
                }
                writeText(out, audit);
            }
        }
        out.flush();
    }

    /** Releases at risk first, one line each: what a person must act on before anything else. */
    private static void writeAtRisk(PrintWriter out, List<LifecycleExpiryFinding> findings) {
        for (LifecycleExpiryFinding finding : findings) {
            out.printf("AT RISK  %s (%s; released %s%s)%n", finding.title(), finding.imageDigest().shortForm(),
                    finding.releasedAt(), finding.releaseTimeRecorded() ? "" : ", not recorded: its digest's push");
        }
        if (!findings.isEmpty()) {
            out.println();
        }
    }

    private static void writeText(PrintWriter out, RepositoryAudit audit) {
        long releases = audit.standings().stream().mapToLong(standing -> standing.releases().size()).sum();
        out.printf("%s: %d images, policy %s (%s); %d production images (%d releases): %d at risk, %d rotating out as"
                        + " intended%n", audit.repository(), audit.imageCount(),
                audit.policy().status().name().toLowerCase(), audit.policy().detail(), audit.standings().size(),
                releases, audit.outOfTurn().size(), audit.rotation().size());
        if (audit.unrecordedReleases() > 0) {
            out.printf("  %d release time%s not recorded (not in the ledger): judged by the digest's push time%n",
                    audit.unrecordedReleases(), audit.unrecordedReleases() == 1 ? "" : "s");
        }
        for (ReleaseStanding release : audit.outOfTurn()) {
            out.printf("  out of turn: %s %s %s by %s%n", release.productionTags(), release.image().digest().shortForm(),
                    fate(release, audit.judgedAt()), LifecycleJson.standingText(release.actual().decidingRule(), release.actual().standing()));
        }
        for (ReleaseStanding release : audit.rotation()) {
            out.printf("  rotation: %s %s %s by %s, as the rule intends%n", release.productionTags(),
                    release.image().digest().shortForm(), fate(release, audit.judgedAt()),
                    LifecycleJson.standingText(release.actual().decidingRule(), release.actual().standing()));
        }
        for (ReleaseStanding release : audit.sharedDigests()) {
            out.printf("  shared digest %s holds %s; first pushed %s; %s, %s%n", release.image().digest().shortForm(),
                    release.productionTags(), release.rankedAt(), release.actual().action(),
                    LifecycleJson.standingText(release.actual().decidingRule(), release.actual().standing()));
        }
        for (ReleaseStanding release : audit.outranked()) {
            out.printf("  %s %s outranked by %d production image%s released before it (%s)%n",
                    release.productionTags(), release.image().digest().shortForm(), release.outrankedBy(),
                    release.outrankedBy() == 1 ? "" : "s",
                    LifecycleJson.standingText(release.actual().decidingRule(), release.actual().standing()));
        }
        out.printf("  verdict: %s%n", audit.atRisk() ? "AT RISK" : "ok");
    }

    /** "is deleted within 24 hours", or "is archived from 2024-07-01T09:00:00Z" when an age rule is due later. */
    private static String fate(ReleaseStanding release, Instant judgedAt) {
        String verb = release.actual().action() == ImageDecision.Action.EXPIRE ? "is deleted" : "is archived";
        return verb + (release.dueBy(judgedAt) ? " within 24 hours" : " from " + release.dueAt().orElseThrow());
    }

    private void writeJson(PrintWriter out, List<RepositoryAudit> audits, List<LifecycleExpiryFinding> findings)
            throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeFieldName("findings");
            json.writeRawValue(JsonText.write(findings.stream().map(LifecycleExpiryFinding::details).toList()));
            json.writeArrayFieldStart("repositories");
            for (RepositoryAudit audit : audits) {
                json.writeStartObject();
                AccountRegion registry = registryOf.get(audit);
                if (registry != null) {
                    json.writeStringField("account", registry.account());
                    json.writeStringField("region", registry.region());
                }
                json.writeStringField("repository", audit.repository().value());
                json.writeNumberField("imageCount", audit.imageCount());
                json.writeObjectFieldStart("policy");
                json.writeStringField("status", audit.policy().status().name());
                json.writeStringField("detail", audit.policy().detail());
                json.writeEndObject();
                json.writeStringField("judgedAt", audit.judgedAt().toString());
                json.writeStringField("within", audit.horizon().toString());
                json.writeNumberField("releaseTimesNotRecorded", audit.unrecordedReleases());
                writeImages(json, "outOfTurn", audit.outOfTurn());
                writeImages(json, "rotation", audit.rotation());
                writeImages(json, "sharedDigests", audit.sharedDigests());
                writeImages(json, "outranked", audit.outranked());
                json.writeBooleanField("atRisk", audit.atRisk());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (acrossRegistries()) {
                json.writeArrayFieldStart("skipped");
                for (AuditTargets.Skipped skip : skipped) {
                    json.writeStartObject();
                    json.writeStringField("account", skip.registry().account());
                    json.writeStringField("region", skip.registry().region());
                    json.writeStringField("reason", skip.reason());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        out.println();
    }

    private static void writeImages(JsonGenerator json, String field, List<ReleaseStanding> releases)
            throws IOException {
        json.writeArrayFieldStart(field);
        for (ReleaseStanding release : releases) {
            json.writeStartObject();
            json.writeStringField("imageDigest", release.image().digest().value());
            LifecycleJson.tags(json, "productionTags", release.productionTags());
            LifecycleJson.tags(json, "imageTags", release.image().tags());
            json.writeStringField("imagePushedAt", release.rankedAt().toString());
            json.writeStringField("releasedAt", release.releasedAt().toString());
            json.writeStringField("releaseTimeSource", release.newestRelease().source().name());
            json.writeStringField("verdict", release.verdict().name());
            json.writeStringField("action", release.actual().action().name());
            if (release.dueAt().isPresent()) {
                json.writeStringField("dueAt", release.dueAt().get().toString());
            }
            LifecycleJson.ruleAndStanding(json, release.actual().decidingRule(), release.actual().standing());
            json.writeNumberField("productionImagesAbove", release.outrankedBy());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
