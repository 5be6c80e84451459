package dev.ecrdigestguard.app;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRegistryClient;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RiskRegister;
import dev.ecrdigestguard.image.AccountRegion;
import java.net.http.HttpClient;
import java.util.List;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The guard of an organization: a push from account B, region R is read (and in MODE=RETAG re-tagged) through an ECR
 * client for R with B's member-role credentials; the function's own account uses its own. The alert channels are
 * built once and shared by every registry.
 */
final class MemberAccountPorts implements PortsByRegistry {

    private final GuardConfig config;
    private final AccountRegionClients<EcrClient> ecr;
    private final List<Notifier> channels;
    private final AlertFanOut alerts;
    private final ReleaseLedger ledger;
    private final RiskRegister risks;
    /** Downloads blobs from ECR's pre-signed URLs, which carry their own authorisation: one for every registry. */
    private volatile HttpClient blobs;

    MemberAccountPorts(GuardConfig config, AccountRegionClients<EcrClient> ecr, List<Notifier> channels,
                       ReleaseLedger ledger, RiskRegister risks) {
        this.config = config;
        this.ecr = ecr;
        this.channels = List.copyOf(channels);
        this.alerts = new AlertFanOut(channels);
        this.ledger = ledger;
        this.risks = risks;
    }

    @Override
    public GuardPorts forRegistry(AccountRegion registry) {
        EcrClient client = MemberAccess.client(ecr, registry);
        return GuardAssembly.ports(config, new EcrImageCatalog(client),
                () -> new EcrRegistryClient(client, blobs()), channels, ledger, risks);
    }

    @Override
    public ReleaseLedger ledger() {
        return ledger;
    }

    @Override
    public RiskRegister risks() {
        return risks;
    }

    @Override
    public AlertFanOut alerts() {
        return alerts;
    }

    @Override
    public void prepare() {
        ecr.credentials().prepare();
    }

    private HttpClient blobs() {
        HttpClient current = blobs;
        if (current == null) {
            synchronized (this) {
                if (blobs == null) {
                    blobs = EcrRegistryClient.blobClient();
                }
                current = blobs;
            }
        }
        return current;
    }
}
