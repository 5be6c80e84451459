package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;

/**
 * An image tag. ECR accepts up to 300 characters; the character set is the OCI distribution spec's
 * ({@code [a-zA-Z0-9_][a-zA-Z0-9._-]*}), which is also what Docker clients can push.
 */
public record Tag(String value) implements Comparable<Tag> {

    public static final int MAX_LENGTH = 300;

    public Tag {
        if (!isTag(value)) {
            throw new IllegalArgumentException("invalid image tag '" + Echo.of(value)
                    + "': expected 1-300 characters of [A-Za-z0-9._-], not starting with '.' or '-'");
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
    }

    /** {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,299}}, checked by hand (it runs for every tag of every image read). */
    private static boolean isTag(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        char first = value.charAt(0);
        if (first == '.' || first == '-') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Tag other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
