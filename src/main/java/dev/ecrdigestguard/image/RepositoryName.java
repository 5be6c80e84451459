package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
import java.util.regex.Pattern;

/** An ECR repository name, validated with the pattern and length limits of the ECR API (2 to 256 characters). */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    private static final Pattern NAME =
            Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");

    public RepositoryName {
        if (value == null || value.length() < 2 || value.length() > 256 || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid repository name '" + Echo.of(value)
                    + "': expected 2-256 lowercase characters, digits and . _ - / separators");
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
