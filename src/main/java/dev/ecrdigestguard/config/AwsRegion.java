package dev.ecrdigestguard.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An AWS region name as a person or an event writes it: {@code eu-west-1}, {@code us-gov-east-1}, {@code cn-north-1}.
 * Checked before it goes into a command an alert prints, a console URL or an SDK client.
 */
public final class AwsRegion {

    private static final Pattern NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

    private AwsRegion() {
    }

    /** {@code text} when it is a region name. */
    public static Optional<String> valid(String text) {
        return Optional.ofNullable(text).filter(name -> NAME.matcher(name).matches());
    }
}
