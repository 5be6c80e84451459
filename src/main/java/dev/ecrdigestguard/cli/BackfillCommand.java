package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.cloudtrail.CloudTrailPushHistory;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.ledger.DynamoDbLedger;
import dev.ecrdigestguard.ledger.JsonFileLedger;
import dev.ecrdigestguard.ledger.LedgerTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code backfill}: fills a release ledger with the production releases CloudTrail recorded before the guard did, as
 * the sweep's first run in each registry does.
 */
@Command(name = "backfill",
        mixinStandardHelpOptions = true,
        description = {
            "Fills the release ledger with the production releases pushed before the guard recorded them: every "
                    + "ECR PutImage of a production tag in CloudTrail's event history (the last 90 days at most, "
                    + "one region), recorded at the time it happened. Releases already in the ledger keep their "
                    + "earliest time.",
            "CloudTrail allows LookupEvents two requests a second per account and region (50 events each), so a "
                    + "region with 10,000 pushes in 90 days takes about 100 seconds. The function's sweep does the "
                    + "same on its first run in each registry; run this for a ledger file, or to fill the table "
                    + "ahead of the first sweep."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the ledger holds every production release the history had",
            "2:bad input or usage",
            "3:an AWS call failed (what was recorded stays; running again finishes the job)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ecr-digest-guard backfill --region eu-west-1 --production-tags 'tag-*' --ledger ledger.json",
            "  ecr-digest-guard backfill --region eu-west-1 --production-tags 'tag-*' \\",
            "      --ledger-table ecr-digest-guard-LedgerTable-1A2B3C4D --repositories 'shop-*' --days 30",
            "",
            "Environment: PRODUCTION_TAG_PATTERNS; AWS_REGION, AWS_PROFILE and the AWS SDK's credential variables.",
            "IAM: cloudtrail:LookupEvents; with --ledger-table, dynamodb:UpdateItem on the table."})
public final class BackfillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Exactly one ledger: a file, or the function's table. */
    static final class LedgerChoice {
        @Option(names = "--ledger", paramLabel = "FILE",
                description = "Release ledger file (JSON, as `check --ledger` writes it); created when missing.")
        Path file;

        @Option(names = "--ledger-table", paramLabel = "NAME",
                description = "The function's DynamoDB table (the stack's LedgerTableName output).")
        String table;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    LedgerChoice ledger;

    @Option(names = "--repositories", paramLabel = "LIST",
            description = "Only these repositories: comma-separated names or patterns ('*' wildcard), e.g. "
                    + "'shop-*,payments/api'. Default: all.")
    String repositories;

    @Option(names = "--days", paramLabel = "N", defaultValue = "90",
            description = "How far back to read, 1 to 90 days (CloudTrail's event history keeps 90). Default: "
                    + "${DEFAULT-VALUE}.")
    int days;

    @Mixin
    AwsOptions aws;

    @Mixin
    ProductionTagsOption productionTags;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        if (days < 1 || days > 90) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--days " + days + " is not between 1 and "
                    + "90: CloudTrail's event history keeps 90 days");
        }
        ProductionTags patterns = productionTags.required();
        RepositoryPatterns only = repositories == null ? RepositoryPatterns.none()
                : OptionValue.parse("--repositories", () -> RepositoryPatterns.parse(repositories));
        // The table's client is built on its first write, after the region is settled.
        ReleaseLedger target = ledger.file != null ? new JsonFileLedger(ledger.file)
                : new DynamoDbLedger(OptionValue.parse("--ledger-table",
                        () -> new LedgerTable(AwsClients::newDynamoDbClient, ledger.table)));
        Region region = aws.apply();
        Clock clock = Clock.systemUTC();
        PushHistory history = new CloudTrailPushHistory(AwsClients.newCloudTrailClient(AwsClients.credentials(),
                region), "region " + region.id());
        LedgerBackfill backfill = new LedgerBackfill(history, target, patterns,
                location -> only.isEmpty() || only.matches(location.name().value()), clock);
        Instant now = clock.instant();
        LedgerBackfill.Progress done = backfill.run(LedgerBackfill.Progress.start(now, Duration.ofDays(days)),
                Instant.MAX);
        print(region, done);
        return Main.OK;
    }

    private void print(Region region, LedgerBackfill.Progress done) {
        PrintWriter out = spec.commandLine().getOut();
        String into = ledger.file != null ? ledger.file.toString() : "table " + ledger.table;
        if (format == OutputFormat.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("region", region.id());
            json.put("from", done.from().toString());
            json.put("to", done.to().toString());
            json.put("ledger", into);
            json.put("pushesRead", done.read());
            json.put("releasesRecorded", done.recorded());
            json.put("unreadable", done.unreadable());
            out.println(JsonText.write(json));
        } else {
            out.printf("Read %d PutImage record%s of %s from %s to %s: %d production release%s recorded in %s%s.%n",
                    done.read(), done.read() == 1 ? "" : "s", region.id(), done.from(), done.to(), done.recorded(),
                    done.recorded() == 1 ? "" : "s", into, done.unreadable() == 0 ? ""
                            : " (" + done.unreadable() + " record" + (done.unreadable() == 1 ? "" : "s")
                            + " without a tag or digest skipped: children of multi-architecture images, failed "
                            + "pushes)");
        }
        out.flush();
    }
}
