package dev.ecrdigestguard.config;

import dev.ecrdigestguard.image.AccountRegion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scheduled sweep covers, read once from the function's environment: which repositories
 * ({@code SWEEP_REPOSITORIES}, empty: all), which accounts ({@code SWEEP_ACCOUNTS}: empty for the function's own,
 * {@code ORGANIZATION} for every active account of the organization, or a list) and which regions
 * ({@code SWEEP_REGIONS}, empty: the function's own), and the table where the ledger, the alert state and the
 * checkpoints live ({@code LEDGER_TABLE}; without it nothing is recorded and there is no sweep).
 *
 * @param repositories the repositories swept; empty for all
 * @param accounts     the accounts swept: the function's own, the organization's, or the listed ones
 * @param regions      the regions swept; empty for the function's own
 */
public record SweepSettings(Optional<RepositoryPatterns> repositories, Accounts accounts, List<String> regions,
                            Optional<String> ledgerTable) {

    public static final String ORGANIZATION = "ORGANIZATION";

    /**
     * Which accounts: the function's own (the default), every active account of the organization
     * ({@code organizations:ListAccounts}, allowed only to the management account or a delegated administrator), or
     * the listed ones.
     */
    public sealed interface Accounts {
        record Own() implements Accounts { }

        record Organization() implements Accounts { }

        record Listed(List<String> accounts) implements Accounts {
            public Listed {
                accounts = List.copyOf(accounts);
                if (accounts.isEmpty()) {
                    throw new IllegalArgumentException("a list of accounts needs at least one");
                }
                accounts.forEach(AccountRegion::requireAccount);
            }
        }
    }

    public SweepSettings {
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(accounts, "accounts");
        regions = List.copyOf(regions);
        Objects.requireNonNull(ledgerTable, "ledgerTable");
    }

    /** Every repository of the function's own account and region. */
    public static SweepSettings ownRegistry(Optional<String> ledgerTable) {
        return new SweepSettings(Optional.empty(), new Accounts.Own(), List.of(), ledgerTable);
    }

    public boolean includes(String repository) {
        return repositories.map(patterns -> patterns.matches(repository)).orElse(true);
    }

    public static SweepSettings fromEnvironment(Map<String, String> environment) {
        return new SweepSettings(repositories(environment.get(GuardConfig.SWEEP_REPOSITORIES)),
                accounts(environment.get(GuardConfig.SWEEP_ACCOUNTS)),
                regions(environment.get(GuardConfig.SWEEP_REGIONS)),
                table(environment.get(GuardConfig.LEDGER_TABLE)));
    }

    private static Optional<RepositoryPatterns> repositories(String value) {
        try {
            RepositoryPatterns patterns = RepositoryPatterns.parse(value);
            return patterns.isEmpty() ? Optional.empty() : Optional.of(patterns);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(GuardConfig.SWEEP_REPOSITORIES + ": " + e.getMessage());
        }
    }

    private static Accounts accounts(String value) {
        if (value == null || value.isBlank()) {
            return new Accounts.Own();
        }
        if (value.trim().toUpperCase(Locale.ROOT).equals(ORGANIZATION)) {
            return new Accounts.Organization();
        }
        List<String> accounts = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (!entry.isBlank()) {
                accounts.add(entry.trim());
            }
        }
        try {
            return new Accounts.Listed(accounts.stream().distinct().toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(GuardConfig.SWEEP_ACCOUNTS + ": " + e.getMessage() + "; give 12-digit "
                    + "account IDs separated by commas, " + ORGANIZATION + ", or nothing for this account");
        }
    }

    private static List<String> regions(String value) {
        List<String> regions = new ArrayList<>();
        if (value != null) {
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String region = entry.trim();
                if (AwsRegion.valid(region).isEmpty()) {
                    throw new ConfigurationException(GuardConfig.SWEEP_REGIONS + ": '" + region + "' is not an AWS "
                            + "region such as eu-west-1");
                }
                if (!regions.contains(region)) {
                    regions.add(region);
                }
            }
        }
        return regions;
    }

    private static Optional<String> table(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (!value.trim().matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new ConfigurationException(GuardConfig.LEDGER_TABLE + " is '" + value + "', not a DynamoDB table "
                    + "name (3 to 255 letters, digits, '_', '-' and '.')");
        }
        return Optional.of(value.trim());
    }
}
