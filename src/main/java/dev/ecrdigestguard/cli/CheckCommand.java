package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.alert.sns.SnsAlert;
import dev.ecrdigestguard.app.GuardAssembly;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.Guard;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.GuardResponse;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.ledger.JsonFileLedger;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.snapshot.SnapshotImageCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check}: runs one push event through the same {@link Guard} the Lambda function runs, with the function's
 * settings from the environment ({@code PRODUCTION_TAG_PATTERNS}, {@code SILENCED_REPOSITORIES}, {@code MODE},
 * {@code SLACK_WEBHOOK_SECRET_ARN}, {@code ALERT_TOPIC_ARN}, {@code MEMBER_ROLE_NAME}); the command adds only where
 * the images come from and what is printed. Without {@code --publish} it acts on nothing: the alert is rendered and
 * printed, not sent, and MODE=RETAG reports instead of re-tagging.
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the guard on one ECR push event, as the Lambda function does, and prints the findings and the "
                    + "alert it would send.",
            "The push is an EventBridge event file (--event), or the tag as it is now (--repository and --tag): the "
                    + "runbook's way to confirm a fix. With --snapshot the repository is read from files recorded with "
                    + "the AWS CLI (no AWS account needed); without it ECR is read live with the default credential "
                    + "chain (--region, --profile). The function's settings come "
                    + "from the same environment variables (silenced repositories, mode, Slack). With --publish the "
                    + "alert goes to SNS (and Slack when configured) and MODE=RETAG re-tags, exactly as the function "
                    + "would."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no finding", "1:findings", "2:bad input or usage", "3:an AWS call failed"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # the write-up's push against a recording of its repository, offline",
            "  ecr-digest-guard check --event events/push-collision.json --snapshot events/snapshot-expiring \\",
            "      --production-tags 'tag-*'",
            "  # confirm a fix: the tag as it is now in ECR (exit status 0: nothing left to fix)",
            "  ecr-digest-guard check --region eu-west-1 --repository shop-api --tag tag-1-253-0 \\",
            "      --production-tags 'tag-*'",
            "",
            "Environment: PRODUCTION_TAG_PATTERNS (default of --production-tags), ALERT_TOPIC_ARN (default of",
            "--topic-arn), MODE, SILENCED_REPOSITORIES, SLACK_WEBHOOK_SECRET_ARN as the function reads them;",
            "AWS_REGION, AWS_PROFILE and the AWS SDK's credential variables."})
public final class CheckCommand implements Callable<Integer> {

    /** Alert channels get this long; the function gives them what is left of its invocation. */
    static final Duration ALERT_BUDGET = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    /** The push to check: an event file, or a repository and tag as they are now. */
    static final class Push {
        @Option(names = "--event", required = true, paramLabel = "FILE",
                description = "EventBridge event JSON (ECR Image Action), e.g. events/push-collision.json.")
        Path eventFile;

        @ArgGroup(exclusive = false)
        TagNow tagNow;
    }

    static final class TagNow {
        @Option(names = "--repository", required = true, paramLabel = "NAME",
                description = "Check this repository's tag as it is now (with --tag), instead of an event.")
        String repository;

        @Option(names = "--tag", required = true, paramLabel = "TAG", description = "The tag to check.")
        String tag;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Push push;

    @Mixin
    AwsOptions aws;

    @Option(names = "--snapshot", paramLabel = "DIR",
            description = "Folder with describe-images.json and optionally lifecycle-policy.json; "
                    + "read instead of ECR.")
    Path snapshot;

    @Mixin
    ProductionTagsOption productionTags;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or table: one row per finding and a totals line (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--publish",
            description = "Act as the function does: publish the alert to SNS (and Slack when "
                    + "SLACK_WEBHOOK_SECRET_ARN is set) and, with MODE=RETAG, re-tag.")
    boolean publish;

    @Option(names = "--topic-arn", paramLabel = "ARN", description = "Topic to publish to. Default: $ALERT_TOPIC_ARN.")
    String topicArn;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Release ledger (JSON): the push is recorded there (the file is created when missing and "
                    + "rewritten atomically) and the times of earlier releases are read from it, as the function does "
                    + "with its DynamoDB table.")
    Path ledger;

    @Option(names = "--role-name", paramLabel = "NAME",
            description = "Read a push of another account through this role there (the member role of an "
                    + "organization-wide guard), as the function does; your own account needs none. "
                    + "Default: $MEMBER_ROLE_NAME.")
    String roleName;

    /** The function's settings; replaced in tests. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws IOException {
        GuardConfig config = config();
        boolean live = snapshot == null;
        String region = live || publish ? aws.apply().id() : "";
        // The snapshot is opened now, so a wrong folder is reported whatever the event.
        Optional<SnapshotImageCatalog> recorded = Optional.ofNullable(snapshot).map(SnapshotImageCatalog::open);
        EventReading reading = push.eventFile != null ? readEvent()
                : new EventReading.Push(TagAsPushed.lookUp(push.tagNow.repository, push.tagNow.tag, recorded, region));
        if (reading instanceof EventReading.Push pushed && recorded.isPresent()) {
            recorded.get().requireRecordingOf(pushed.event().repository());
        }
        PrintedAlert printed = new PrintedAlert(config.productionTags());
        List<Notifier> channels = new ArrayList<>(List.of(printed));
        if (publish) {
            List<Notifier> configured = GuardAssembly.alertChannels(config);
            if (configured.isEmpty()) {
                throw new IllegalArgumentException("--publish needs a channel: pass --topic-arn or set "
                        + GuardConfig.ALERT_TOPIC_ARN);
            }
            channels.addAll(configured);
        }
        GuardConfig acting = config;
        if (config.mode() == GuardConfig.Mode.RETAG && (!publish || snapshot != null)) {
            note(snapshot != null ? "MODE=RETAG: a snapshot holds no images to re-tag; reporting only"
                    : "MODE=RETAG: reporting only; pass --publish to re-tag as the function would");
            acting = config.withMode(GuardConfig.Mode.ALERT);
        }
        GuardConfig settings = acting;
        if (roleName != null && snapshot != null) {
            throw new IllegalArgumentException("--role-name reads another account live; drop it or --snapshot");
        }
        Optional<MemberRole> memberRole = MemberRole.parse(roleName, "--role-name")
                .or(() -> snapshot == null ? MemberRole.fromEnvironment(environment) : Optional.empty());
        ReleaseLedger releases = ledger == null ? ReleaseLedger.none() : new JsonFileLedger(ledger);
        Guard guard = recorded.isPresent()
                ? new Guard(settings, () -> recordedPorts(settings, recorded.get(), channels, releases))
                : new Guard(settings, GuardAssembly.awsPortsByRegistry(settings, memberRole, channels, releases));
        GuardResponse response = guard.respond(reading, new GuardMetrics(), Instant.now().plus(ALERT_BUDGET));
        response.delivery().ifPresent(CheckCommand::requireRealChannelsDelivered);
        boolean published = response.delivery()
                .map(delivery -> delivery.delivered().stream().anyMatch(channel -> !channel.equals(PrintedAlert.CHANNEL)))
                .orElse(false);
        print(response, printed.alert(), published);
        return response.report().map(GuardReport::hasFindings).orElse(false) ? Main.FINDINGS : Main.OK;
    }

    /** The recorded repository; a snapshot has no registry behind it, so nothing there is re-tagged. */
    private static GuardPorts recordedPorts(GuardConfig config, ImageCatalog recorded, List<Notifier> channels,
                                            ReleaseLedger ledger) {
        return GuardAssembly.ports(config, recorded, () -> {
            throw new IllegalStateException("a snapshot has no registry to re-tag in");
        }, channels, ledger);
    }

    /** The function's configuration, with this command's options in place of the variables they override. */
    private GuardConfig config() {
        Map<String, String> settings = new HashMap<>(environment);
        settings.put(GuardConfig.PRODUCTION_TAG_PATTERNS, productionTags.required().toString());
        if (topicArn != null) {
            settings.put(GuardConfig.ALERT_TOPIC_ARN, topicArn);
        }
        return GuardConfig.from(settings);
    }

    /** A channel the user asked for that failed is this command's failure, even if the printed alert "went out". */
    private static void requireRealChannelsDelivered(AlertFanOut.Delivery delivery) {
        delivery.failures().values().stream().findFirst().ifPresent(failure -> {
            throw failure;
        });
    }

    private void note(String text) {
        spec.commandLine().getErr().println("check: " + text);
    }

    private EventReading readEvent() throws IOException {
        EventReading reading;
        try (InputStream in = Files.newInputStream(push.eventFile)) {
            reading = EcrEventReader.read(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("event file " + push.eventFile + " does not exist", e);
        }
        if (reading instanceof EventReading.Malformed malformed) {
            throw new IllegalArgumentException("event " + push.eventFile + " is malformed: " + malformed.reason());
        }
        return reading;
    }

    private void print(GuardResponse response, Optional<SnsAlert> alert, boolean published) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("findings", response.report().map(GuardReport::findings).orElse(List.of()).stream()
                    .map(Finding::details).toList());
            root.put("alert", alert.map(a -> alertJson(a, published)).orElse(null));
            if (response.report().isEmpty()) {
                root.put("ignored", response.summary());
            }
            root.put("outcome", response.outcome().name());
            root.put("summary", response.summary());
            root.put("notes", response.report().map(GuardReport::notes).orElse(List.of()));
            out.println(JsonText.writePretty(root));
            out.flush();
            return;
        }
        if (format == OutputFormat.table) {
            FindingsTable.ofCheck(response.report().map(GuardReport::findings).orElse(List.of()), out);
            out.flush();
            return;
        }
        if (response.report().isEmpty()) {
            out.println("Event ignored: " + response.summary() + ".");
            out.flush();
            return;
        }
        PushEvent event = response.report().get().event();
        out.println("Push " + event.repository() + ":" + event.tag() + " (" + event.digest() + ")");
        out.println(response.summary() + ".");
        response.report().get().notes().forEach(note -> out.println("Note: " + note + "."));
        alert.ifPresent(a -> {
            out.println();
            out.println("Alert " + (published ? "published" : "that would be published") + " to SNS:");
            out.println("Subject: " + a.subject());
            out.println();
            out.print(a.defaultBody());
        });
        out.flush();
    }

    private static Map<String, Object> alertJson(SnsAlert alert, boolean published) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", alert.subject());
        json.put("message", new JsonText.Raw(alert.message()));
        Map<String, Object> attributes = new LinkedHashMap<>();
        alert.attributes().forEach((name, attribute) -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("DataType", attribute.dataType());
            value.put("StringValue", attribute.value());
            attributes.put(name, value);
        });
        json.put("messageAttributes", attributes);
        json.put("published", published);
        return json;
    }
}
