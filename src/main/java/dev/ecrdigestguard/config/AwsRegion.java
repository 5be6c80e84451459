package dev.ecrdigestguard.config;

import dev.ecrdigestguard.image.AccountRegion;
import java.util.Optional;

/**
 * An AWS region name as a person or an event writes it: {@code eu-west-1}, {@code us-gov-east-1}, {@code cn-north-1}.
 * Checked before it goes into a command an alert prints, a console URL or an SDK client.
 */
public final class AwsRegion {

    private AwsRegion() {
    }

    /** {@code text} when it is a region name. */
    public static Optional<String> valid(String text) {
        return Optional.ofNullable(text).filter(AccountRegion::isRegion);
    }
}
