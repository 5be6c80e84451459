package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
import java.util.regex.Pattern;

/**
 * An image tag. ECR accepts up to 300 characters; the character set is the OCI distribution spec's
 * ({@code [a-zA-Z0-9_][a-zA-Z0-9._-]*}), which is also what Docker clients can push.
 */
public record Tag(String value) implements Comparable<Tag> {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,299}");

    public Tag {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid image tag '" + Echo.of(value)
                    + "': expected 1-300 characters of [A-Za-z0-9._-], not starting with '.' or '-'");
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
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
