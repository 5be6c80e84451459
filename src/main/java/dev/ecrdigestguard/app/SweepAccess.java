package dev.ecrdigestguard.app;

import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.OrganizationAccounts;
import dev.ecrdigestguard.cloudtrail.CloudTrailPushHistory;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.sweep.SweepPorts;
import java.util.List;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The sweep's view of AWS: every registry (the function's own account in any region, a member account through its
 * role) read with a client for its region and that account's credentials, shared with the sweep's per-registry guard
 * ports; CloudTrail likewise for the backfill; the organization's accounts from Organizations.
 */
final class SweepAccess implements SweepPorts {

    private final PortsByRegistry guard;
    private final AccountRegionClients<EcrClient> ecr;
    private final AccountRegionClients<CloudTrailClient> cloudTrail;

    SweepAccess(PortsByRegistry guard, AccountRegionClients<EcrClient> ecr,
                AccountRegionClients<CloudTrailClient> cloudTrail) {
        this.guard = guard;
        this.ecr = ecr;
        this.cloudTrail = cloudTrail;
    }

    @Override
    public PortsByRegistry guard() {
        return guard;
    }

    @Override
    public RepositoryLister repositories(AccountRegion registry) {
        return new EcrRepositoryLister(MemberAccess.client(ecr, registry));
    }

    @Override
    public PushHistory history(AccountRegion registry) {
        return new CloudTrailPushHistory(MemberAccess.client(cloudTrail, registry), registry.describe());
    }

    @Override
    public List<String> organizationAccounts() {
        return OrganizationAccounts.create(AwsClients.credentials(),
                MemberAccess.ownIdentity(ecr.credentials()).partition()).activeAccounts();
    }
}
