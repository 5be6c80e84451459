package dev.ecrdigestguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.alert.sns.SnsAlert;
import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.alert.sns.SnsNotifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.TopicArn;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.PushGuard;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.snapshot.SnapshotImageCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check}: runs the guard on one push event, offline against a recorded repository or live against ECR. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the guard on one ECR push event, as the Lambda function does, and prints the findings and the "
                    + "alert it would send.",
            "With --snapshot the repository is read from files recorded with the AWS CLI (no AWS account needed); "
                    + "without it ECR is read live with the default credential chain."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no finding", "1:findings", "2:bad input or usage", "3:an AWS call failed"})
public final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--event", required = true, paramLabel = "FILE",
            description = "EventBridge event JSON (ECR Image Action), e.g. events/push-collision.json.")
    Path eventFile;

    @Option(names = "--snapshot", paramLabel = "DIR",
            description = "Folder with describe-images.json and optionally lifecycle-policy.json; "
                    + "read instead of ECR.")
    Path snapshot;

    @Mixin
    ProductionTagsOption productionTags;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--publish", description = "Publish the alert to SNS, as the function does (live mode).")
    boolean publish;

    @Option(names = "--topic-arn", paramLabel = "ARN", description = "Topic to publish to. Default: $ALERT_TOPIC_ARN.")
    String topicArn;

    @Override
    public Integer call() throws IOException {
        ProductionTags patterns = productionTags.required();
        PushEvent event = readEvent();
        if (event == null) {
            return Main.OK;
        }
        ImageCatalog catalog = snapshot != null
                ? SnapshotImageCatalog.open(snapshot)
                : new EcrImageCatalog(AwsClients.newEcrClient());
        GuardReport report = new PushGuard(patterns, catalog).inspect(event);
        SnsAlert alert = report.hasFindings() ? new SnsAlertRenderer().render(report) : null;
        boolean published = false;
        if (publish && report.hasFindings()) {
            new SnsNotifier(AwsClients.newSnsClient(), topic()).send(report);
            published = true;
        }
        print(report, alert, published);
        return report.hasFindings() ? Main.FINDINGS : Main.OK;
    }


    private TopicArn topic() {
        String value = topicArn != null ? topicArn : System.getenv(GuardConfig.ALERT_TOPIC_ARN);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--publish needs a topic: pass --topic-arn or set "
                    + GuardConfig.ALERT_TOPIC_ARN);
        }
        return new TopicArn(value);
    }

    /** The push in the event file, or null (after saying why) when the guard would ignore the event. */
    private PushEvent readEvent() throws IOException {
        EventReading reading;
        try (InputStream in = Files.newInputStream(eventFile)) {
            reading = EcrEventReader.read(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("event file " + eventFile + " does not exist", e);
        }
        if (reading instanceof EventReading.Malformed malformed) {
            throw new IllegalArgumentException("event " + eventFile + " is malformed: " + malformed.reason());
        }
        if (reading instanceof EventReading.Ignored ignored) {
            printIgnored(ignored.reason());
            return null;
        }
        return ((EventReading.Push) reading).event();
    }

    private void printIgnored(String reason) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            ObjectNode root = Json.object();
            root.putArray("findings");
            root.putNull("alert");
            root.put("ignored", reason);
            out.println(Json.writePretty(root));
        } else {
            out.println("Event ignored: " + reason + ".");
        }
    }

    private void print(GuardReport report, SnsAlert alert, boolean published) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            ObjectNode root = Json.object();
            var findings = root.putArray("findings");
            for (Finding finding : report.findings()) {
                findings.add(Json.mapper().valueToTree(finding.details()));
            }
            if (alert == null) {
                root.putNull("alert");
            } else {
                ObjectNode alertNode = root.putObject("alert");
                alertNode.put("subject", alert.subject());
                JsonNode message = Json.mapper().readTree(alert.message());
                alertNode.set("message", message);
                ObjectNode attributes = alertNode.putObject("messageAttributes");
                alert.attributes().forEach((name, attribute) -> attributes.putObject(name)
                        .put("DataType", attribute.dataType()).put("StringValue", attribute.value()));
                alertNode.put("published", published);
            }
            root.put("summary", report.summary());
            out.println(Json.writePretty(root));
            return;
        }
        PushEvent event = report.event();
        out.println("Push " + event.repository() + ":" + event.tag() + " (" + event.digest() + ")");
        out.println(report.summary() + ".");
        if (alert != null) {
            out.println();
            out.println("Alert " + (published ? "published" : "that would be published") + " to SNS:");
            out.println("Subject: " + alert.subject());
            out.println();
            out.print(Json.mapper().readTree(alert.message()).get("default").asText());
            out.flush();
        }
    }
}
