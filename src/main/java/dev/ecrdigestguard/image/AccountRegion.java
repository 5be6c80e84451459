package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
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
        region = requireRegion(region);
    }

    public static AccountRegion of(String account, String region) {
        return new AccountRegion(account, region);
    }

    /** Whether {@code text} is an AWS account ID: 12 digits. The one definition; every other check calls it. */
    public static boolean isAccount(String text) {
        return text != null && ACCOUNT.matcher(text).matches();
    }

    /**
     * Whether {@code text} is a region code ({@code eu-west-1}, {@code us-gov-east-1}, {@code cn-north-1}). The one
     * definition in the code; the templates' AllowedPattern for regions spells the same expression.
     */
    public static boolean isRegion(String text) {
        return text != null && REGION.matcher(text).matches();
    }

    /** Checks an account ID where one enters alone (a command-line list, an event): 12 digits. */
    public static String requireAccount(String account) {
        if (!isAccount(account)) {
            throw new IllegalArgumentException("account '" + Echo.of(account) + "' is not a 12-digit AWS account ID");
        }
        return account;
    }

    /** Checks a region code where one enters alone. */
    public static String requireRegion(String region) {
        if (!isRegion(region)) {
            throw new IllegalArgumentException("region '" + Echo.of(region)
                    + "' is not an AWS region code such as eu-west-1");
        }
        return region;
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
