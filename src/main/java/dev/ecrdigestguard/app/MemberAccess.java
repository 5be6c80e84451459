package dev.ecrdigestguard.app;

import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.AccountAccessException;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.AccountRegion;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A client for a registry of another account, with the SDK's failures turned into the guard's: the function's
 * per-push ports and the organization-wide audit reach member accounts the same way, and report a refusal alike.
 */
public final class MemberAccess {

    private MemberAccess() {
    }

    /**
     * The client for {@code registry}, its credentials working now.
     *
     * @throws CatalogException       when the process's own identity can't be read ({@code GetCallerIdentity}, the
     *                                command line's; the function knows it from its ARN): nothing is known to be
     *                                wrong with the member account
     * @throws AccountAccessException when the member role is refused, or STS fails (retryable when a retry can help)
     */
    public static <C extends SdkAutoCloseable> C client(AccountRegionClients<C> clients, AccountRegion registry) {
        // Who the guard is comes first and alone, with or without a member role, so that its failure is never
        // reported below as the member role's.
        ownIdentity(clients.credentials());
        String role = clients.credentials().roleArn(registry.account()).orElse("the member role");
        try {
            return clients.client(registry);
        } catch (SdkException e) {
            throw new AccountAccessException(registry, role, AwsFailures.describe("sts:AssumeRole", "role " + role,
                    e), AwsFailures.retryable(e), e);
        }
    }

    /**
     * The process's own account and partition.
     *
     * @throws CatalogException when STS had to be asked and failed, saying so (retryable when a retry can help)
     */
    public static AccountCredentials.Caller ownIdentity(AccountCredentials credentials) {
        try {
            return credentials.caller();
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describeOwnIdentity(e), AwsFailures.retryable(e), e);
        }
    }
}
