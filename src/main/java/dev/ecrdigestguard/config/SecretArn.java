package dev.ecrdigestguard.config;

import dev.ecrdigestguard.text.Echo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a secret lives: a Secrets Manager secret ARN ({@code arn:aws:secretsmanager:<region>:<account>:secret:<name>})
 * or an SSM parameter ARN ({@code arn:aws:ssm:<region>:<account>:parameter/<name>}, a SecureString). The ARN itself
 * is not secret; it is safe in logs and messages.
 */
public record SecretArn(String value, Store store, String region) {

    /** The service that holds the secret. */
    public enum Store { SECRETS_MANAGER, SSM_PARAMETER }

    private static final Pattern SECRETS_MANAGER =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern SSM_PARAMETER =
            Pattern.compile("arn:aws[a-z-]*:ssm:([a-z0-9-]+):\\d{12}:parameter/[A-Za-z0-9/_.-]{1,2048}");

    public SecretArn {
        if (value == null || store == null || region == null) {
            throw new IllegalArgumentException("a secret ARN needs a value, a store and a region");
        }
    }

    /** Parses an ARN, rejecting anything that is neither a Secrets Manager secret nor an SSM parameter. */
    public static SecretArn parse(String value) {
        String arn = value == null ? "" : value.trim();
        Matcher secret = SECRETS_MANAGER.matcher(arn);
        if (secret.matches()) {
            return new SecretArn(arn, Store.SECRETS_MANAGER, secret.group(1));
        }
        Matcher parameter = SSM_PARAMETER.matcher(arn);
        if (parameter.matches()) {
            return new SecretArn(arn, Store.SSM_PARAMETER, parameter.group(1));
        }
        throw new IllegalArgumentException("'" + Echo.of(arn) + "' is neither a Secrets Manager secret ARN "
                + "(arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>) nor an SSM parameter ARN "
                + "(arn:aws:ssm:<region>:<12-digit account>:parameter/<name>)");
    }

    @Override
    public String toString() {
        return value;
    }
}
