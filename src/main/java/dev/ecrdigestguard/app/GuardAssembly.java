package dev.ecrdigestguard.app;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.alert.slack.SlackNotifier;
import dev.ecrdigestguard.alert.slack.SlackWebhookUrl;
import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.alert.sns.SnsNotifier;
import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.AwsSecretSource;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.config.SecretSource;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRegistryClient;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RiskRegister;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.retag.ManifestRewriting;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.config.SweepSettings;
import dev.ecrdigestguard.ledger.DynamoDbLedger;
import dev.ecrdigestguard.ledger.DynamoDbRiskRegister;
import dev.ecrdigestguard.ledger.DynamoDbSweepState;
import dev.ecrdigestguard.ledger.LedgerTable;
import dev.ecrdigestguard.sweep.SliceInvoker;
import dev.ecrdigestguard.sweep.SweepState;
import dev.ecrdigestguard.sweep.Sweeper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The one place that knows which adapter serves which port of the guard, for the Lambda function and for the command
 * line: the same configuration gives the same channels (SNS, and Slack when configured) and, in MODE=RETAG, the same
 * re-tagger. Entry points pick only what differs for them: where the images come from (ECR, or a recorded snapshot)
 * and any channel of their own (the command line's printed alert).
 */
public final class GuardAssembly {

    private GuardAssembly() {
    }

    /** One account's ports: ECR in the default region for images and re-tags, the given alert channels. */
    private static GuardPorts awsPorts(GuardConfig config, List<Notifier> channels, ReleaseLedger ledger,
                                       RiskRegister risks) {
        EcrClient ecr = AwsClients.newEcrClient();
        return ports(config, new EcrImageCatalog(ecr), () -> EcrRegistryClient.create(ecr), channels, ledger, risks);
    }

    // ---- many accounts (issue 14): ports chosen per push by the account and region it came from

    /**
     * The ports per registry of {@code check}: without a member role, one account's (built on the first production
     * push) for every push, as a single-account deployment always had; with one, every account of the organization
     * through its member role — the process's own account learned from STS ({@code GetCallerIdentity}). The given
     * alert channels ({@code check} adds its printed alert) and release ledger serve every registry (the ledger keys
     * releases by account and region).
     */
    public static PortsByRegistry awsPortsByRegistry(GuardConfig config, Optional<MemberRole> memberRole,
                                                     List<Notifier> channels, ReleaseLedger ledger) {
        return awsPortsByRegistry(config, memberRole, Optional::empty, channels, ledger, RiskRegister.none());
    }

    /**
     * The function's: the same with who the process is when it knows without asking STS ({@code self}: the function,
     * from its ARN) and the register of releases alerted about as at risk (the function's, in the ledger table).
     */
    public static PortsByRegistry awsPortsByRegistry(GuardConfig config, Optional<MemberRole> memberRole,
                                                     Supplier<Optional<AccountCredentials.Caller>> self,
                                                     List<Notifier> channels, ReleaseLedger ledger,
                                                     RiskRegister risks) {
        if (memberRole.isEmpty()) {
            return PortsByRegistry.sameForEvery(() -> awsPorts(config, channels, ledger, risks));
        }
        return new MemberAccountPorts(config, new AccountRegionClients<>(AccountCredentials.create(memberRole, self),
                AwsClients::newEcrClient), channels, ledger, risks);
    }

    // ---- end of many accounts

    // ---- release ledger and sweep (issue 10)

    /** The function's DynamoDB table as the ports it serves; its client is built on first use. */
    public record FunctionTable(ReleaseLedger ledger, RiskRegister risks, SweepState sweepState) {
    }

    /** The table named by {@code LEDGER_TABLE}, if one is. */
    public static Optional<FunctionTable> functionTable(SweepSettings settings) {
        return settings.ledgerTable().map(name -> {
            LedgerTable table = new LedgerTable(AwsClients::newDynamoDbClient, name);
            return new FunctionTable(new DynamoDbLedger(table), new DynamoDbRiskRegister(table),
                    new DynamoDbSweepState(table));
        });
    }

    /**
     * The scheduled sweep: every registry it covers read with that account's credentials (the member role for other
     * accounts) and a client for its region, the same alert channels as pushes, the function's table.
     */
    public static Sweeper sweeper(GuardConfig config, SweepSettings settings, Optional<MemberRole> memberRole,
                                  Supplier<Optional<AccountCredentials.Caller>> self, FunctionTable table,
                                  SliceInvoker invoker, Clock clock) {
        AccountCredentials credentials = AccountCredentials.create(memberRole, self);
        AccountRegionClients<EcrClient> ecr = new AccountRegionClients<>(credentials, AwsClients::newEcrClient);
        PortsByRegistry registries = new MemberAccountPorts(config, ecr, alertChannels(config), table.ledger(),
                table.risks());
        SweepAccess access = new SweepAccess(registries, ecr,
                new AccountRegionClients<>(credentials, AwsClients::newCloudTrailClient));
        return new Sweeper(config, settings, access, table.sweepState(), invoker, clock);
    }

    // ---- end of release ledger and sweep

    /**
     * Ports over a given catalog and registry: the re-tagger exists in MODE=RETAG only, and the registry is built only
     * then.
     */
    public static GuardPorts ports(GuardConfig config, ImageCatalog catalog, Supplier<ImageRegistry> registry,
                                   List<Notifier> channels, ReleaseLedger ledger) {
        return ports(config, catalog, registry, channels, ledger, RiskRegister.none());
    }

    /** The same with a register of releases alerted about as at risk. */
    public static GuardPorts ports(GuardConfig config, ImageCatalog catalog, Supplier<ImageRegistry> registry,
                                   List<Notifier> channels, ReleaseLedger ledger, RiskRegister risks) {
        Optional<Retagger> retagger = config.mode() == GuardConfig.Mode.RETAG
                ? Optional.of(new Retagger(registry.get(), ManifestRewriting.standard(), config.productionTags(),
                        config.retagSignedImages()))
                : Optional.empty();
        return new GuardPorts(catalog, new AlertFanOut(channels), retagger, ledger, risks);
    }

    /**
     * The channels the configuration names: SNS when a topic is set (the function requires one), and Slack when a
     * webhook secret is set. Neither client is built here: SNS builds its client on the first alert, and Slack reads
     * its webhook then.
     */
    public static List<Notifier> alertChannels(GuardConfig config) {
        List<Notifier> channels = new ArrayList<>();
        config.alertTopic().ifPresent(topic -> channels.add(new SnsNotifier(AwsClients::newSnsClient, topic,
                new SnsAlertRenderer(config.productionTags()))));
        config.slackWebhookSecret().ifPresent(arn -> channels.add(slackNotifier(arn, new AwsSecretSource(),
                config.productionTags())));
        return channels;
    }

    /**
     * The Slack channel: the webhook URL is read from the secret on the first alert and kept by the notifier, so a
     * container reads it once, and a function that never alerts never reads it.
     */
    public static SlackNotifier slackNotifier(SecretArn arn, SecretSource secrets, ProductionTags productionTags) {
        return SlackNotifier.create(() -> SlackWebhookUrl.fromSecret(secrets.read(arn), arn.toString()),
                productionTags);
    }
}
