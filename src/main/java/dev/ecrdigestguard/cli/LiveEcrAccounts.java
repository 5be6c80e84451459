package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.app.MemberAccess;
import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.aws.OrganizationAccounts;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.AccountRegion;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The audit's registries across accounts and regions: the same per-account credentials and per-(account, region)
 * client cache as the function ({@link AccountCredentials}, {@link AccountRegionClients}), with ECR clients that slow
 * down when throttled ({@link LiveEcr#client}), and the organization's accounts from {@link OrganizationAccounts}.
 */
final class LiveEcrAccounts implements AuditTargets.Registries {

    private final AccountCredentials credentials;
    private final AccountRegionClients<EcrClient> ecr;

    private LiveEcrAccounts(AccountCredentials credentials) {
        this.credentials = credentials;
        this.ecr = new AccountRegionClients<>(credentials, LiveEcr::client);
    }

    static AuditTargets.Registries connect(Optional<MemberRole> role) {
        return new LiveEcrAccounts(AccountCredentials.create(role));
    }

    @Override
    public String ownAccount() {
        return MemberAccess.ownIdentity(credentials).account();
    }

    @Override
    public String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkException e) {
            throw new IllegalArgumentException("no region: pass --regions, or set AWS_REGION", e);
        }
    }

    @Override
    public List<String> organizationAccounts() {
        return OrganizationAccounts.create(DefaultCredentialsProvider.builder().build(),
                MemberAccess.ownIdentity(credentials).partition()).activeAccounts();
    }

    @Override
    public AuditCommand.LiveRegistry at(AccountRegion registry) {
        EcrClient client = MemberAccess.client(ecr, registry);
        return new AuditCommand.LiveRegistry() {
            @Override
            public RepositoryLister repositories() {
                return new EcrRepositoryLister(client);
            }

            @Override
            public ImageCatalog catalog() {
                return new EcrImageCatalog(client);
            }

            @Override
            public void close() {
                // The client is shared and cached; closing this account's audit leaves it for the next.
            }
        };
    }

    @Override
    public void close() {
        ecr.close();
    }
}
