package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.RepositoryName;
import java.util.Objects;

/**
 * Where a repository lives: its account, region and name. Repositories of the same name in two accounts or regions
 * are different repositories, and their releases must not mix in the ledger.
 *
 * @param account the 12-digit account, or empty when unknown (an offline recording without a registry id)
 * @param region  the region, or empty when unknown (offline recordings don't say)
 */
public record RepositoryLocation(String account, String region, RepositoryName name) {

    public RepositoryLocation {
        account = account == null ? "" : account;
        region = region == null ? "" : region;
        Objects.requireNonNull(name, "name");
        if (!account.isEmpty()) {
            AccountRegion.requireAccount(account);
        }
        if (!region.isEmpty()) {
            AccountRegion.requireRegion(region);
        }
    }

    /** Whether {@code other} may be this repository: same name, and account and region equal where both are known. */
    public boolean matches(RepositoryLocation other) {
        return name.equals(other.name)
                && (account.isEmpty() || other.account.isEmpty() || account.equals(other.account))
                && (region.isEmpty() || other.region.isEmpty() || region.equals(other.region));
    }

    @Override
    public String toString() {
        return (account.isEmpty() ? "" : account + "/") + (region.isEmpty() ? "" : region + "/") + name;
    }
}
