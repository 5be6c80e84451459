package dev.ecrdigestguard.image;

import java.util.regex.Pattern;

/**
 * Where an ECR registry lives: an AWS account and a region (ECR keeps one registry per account and region). A push
 * event names both, an audit covers a list of them, and the credentials and clients that read a repository are chosen
 * by them.
 *
 * @param account the 12-digit account ID
 * @param region  a region code such as {@code eu-west-1}, {@code us-gov-west-1} or {@code cn-north-1}
 */
public record AccountRegion(String account, String region) {

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}");

    public AccountRegion {
        account = requireAccount(account);
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + region + "' is not an AWS region code such as eu-west-1");
        }
    }

    public static AccountRegion of(String account, String region) {
        return new AccountRegion(account, region);
    }

    /** Checks an account ID where one enters alone (a command-line list, an event): 12 digits. */
    public static String requireAccount(String account) {
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account '" + account + "' is not a 12-digit AWS account ID");
        }
        return account;
    }

    /** "account 111122223333, region eu-west-1", for messages. */
    public String describe() {
        return "account " + account + ", region " + region;
    }

    @Override
    public String toString() {
        return account + "/" + region;
    }
}
