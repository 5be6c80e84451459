package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;

/** An ECR repository name, validated with the pattern and length limits of the ECR API (2 to 256 characters). */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    public RepositoryName {
        if (value == null || value.length() < 2 || value.length() > 256 || !isName(value)) {
            throw new IllegalArgumentException("invalid repository name '" + Echo.of(value)
                    + "': expected 2-256 lowercase characters, digits and . _ - / separators");
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    /**
     * ECR's pattern {@code (?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*}, checked by hand: runs of
     * lowercase letters and digits joined by single {@code . _ -} separators into path segments joined by {@code /}.
     */
    private static boolean isName(String value) {
        boolean afterAlphanumeric = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                afterAlphanumeric = true;
            } else if ((c == '.' || c == '_' || c == '-' || c == '/') && afterAlphanumeric) {
                afterAlphanumeric = false;
            } else {
                return false;
            }
        }
        return afterAlphanumeric;
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
