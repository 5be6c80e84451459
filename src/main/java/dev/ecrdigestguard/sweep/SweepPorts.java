package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.AccountRegion;
import java.util.List;

/**
 * What a sweep needs from outside beyond a push's ports ({@link #guard()}): the repositories of a registry, its push
 * history for the backfill, and the organization's accounts. Per registry, with that account's credentials; a
 * member account that refuses the guard's role throws {@code guard.AccountAccessException}, like a push's.
 */
public interface SweepPorts {

    /** The ports a push of the registry gets: catalog, re-tagger, channels, ledger, register. */
    PortsByRegistry guard();

    RepositoryLister repositories(AccountRegion registry);

    PushHistory history(AccountRegion registry);

    /** Every active account of the organization ({@code organizations:ListAccounts}). */
    List<String> organizationAccounts();
}
