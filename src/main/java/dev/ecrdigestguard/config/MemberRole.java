package dev.ecrdigestguard.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The IAM role the guard assumes in another account of the organization to read (and in MODE=RETAG re-tag) its
 * repositories: every member account has a role of this name ({@code member-template.yaml}). Set, the guard judges a
 * push from account B with credentials of {@code arn:<partition>:iam::B:role/<name>}; unset, it reads only the
 * account it runs in, as a single-account deployment always has.
 *
 * @param name a role name as IAM allows it (1 to 64 of letters, digits and {@code +=,.@_-}; no path)
 */
public record MemberRole(String name) {

    /** The function's variable, set from the template's {@code MemberRoleName} when {@code OrganizationId} is set. */
    public static final String VARIABLE = GuardConfig.MEMBER_ROLE_NAME;

    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    public MemberRole {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an IAM role name (1-64 letters, digits and "
                    + "+=,.@_-, without a path)");
        }
    }

    /** The role in {@code account}: {@code arn:<partition>:iam::<account>:role/<name>}. */
    public String arnIn(String partition, String account) {
        return "arn:" + partition + ":iam::" + account + ":role/" + name;
    }

    /** {@code MEMBER_ROLE_NAME}: empty when unset or blank (one account); a bad name stops start-up. */
    public static Optional<MemberRole> fromEnvironment(Map<String, String> environment) {
        return parse(environment.get(VARIABLE), VARIABLE);
    }

    /** A name given as {@code source} (a variable or an option), empty when blank. */
    public static Optional<MemberRole> parse(String value, String source) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MemberRole(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
