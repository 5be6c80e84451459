package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.guard.AccountAccessException;
import dev.ecrdigestguard.image.AccountRegion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The registries an organization-wide {@code audit} covers: the accounts named ({@code --accounts}) or every active
 * account of the organization ({@code --organization}), times the regions ({@code --regions}, or the default
 * region). An account that can't be assumed is skipped and reported by the caller, never fatal.
 */
final class AuditTargets {

    private AuditTargets() {
    }

    /** Live access to the registries of many accounts and regions, through member-role credentials. */
    interface Registries extends AutoCloseable {

        /** The account the credentials belong to: read directly, without a role. */
        String ownAccount();

        /** The region of the default chain ({@code AWS_REGION}, the profile). */
        String defaultRegion();

        /** Every active account of the caller's organization ({@code organizations:ListAccounts}). */
        List<String> organizationAccounts();

        /**
         * The registry of one account and region; its {@code close} leaves the shared clients open.
         *
         * @throws AccountAccessException when the account's member role can't be assumed
         */
        AuditCommand.LiveRegistry at(AccountRegion registry);

        @Override
        void close();
    }

    /** A registry left out, and why (the role was refused, say). */
    record Skipped(AccountRegion registry, String reason) {
    }

    /**
     * Accounts × regions, in the order given (the organization's in listing order), each pair once.
     *
     * @param accounts    the accounts named, or empty to take the organization's
     * @param regions     the regions named, or empty for the default region
     * @param canAssume   whether a member role is set; without one only the own account can be read
     * @throws IllegalArgumentException for a malformed account or region, or another account without a role
     */
    static List<AccountRegion> select(Optional<List<String>> accounts, Optional<List<String>> regions,
                                      boolean canAssume, Registries registries) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String account : accounts.orElseGet(registries::organizationAccounts)) {
            chosen.add(AccountRegion.requireAccount(account.trim()));
        }
        String own = registries.ownAccount();
        List<String> others = chosen.stream().filter(account -> !account.equals(own)).toList();
        if (!canAssume && !others.isEmpty()) {
            throw new IllegalArgumentException("account " + String.join(", ", others) + " is not yours (" + own
                    + "): pass --role-name (or set MEMBER_ROLE_NAME), the role to assume in each account");
        }
        List<String> where = regions.map(list -> list.stream().map(String::trim).toList())
                .orElseGet(() -> List.of(registries.defaultRegion()));
        List<AccountRegion> targets = new ArrayList<>();
        for (String account : chosen) {
            for (String region : new LinkedHashSet<>(where)) {
                targets.add(AccountRegion.of(account, region));
            }
        }
        return targets;
    }
}
