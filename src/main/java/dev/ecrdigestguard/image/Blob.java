package dev.ecrdigestguard.image;

import java.util.Objects;

/** Content addressed by its sha256 digest, e.g. a rewritten config to upload before the manifest that names it. */
public record Blob(Digest digest, byte[] content) {

    public Blob {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(content, "content");
        Digest actual = Digest.sha256(content);
        if (!digest.equals(actual)) {
            throw new IllegalArgumentException("blob digest " + digest + " does not match its content (" + actual + ")");
        }
    }

    public static Blob of(byte[] content) {
        return new Blob(Digest.sha256(content), content);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blob other && digest.equals(other.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Blob[" + digest + ", " + content.length + " bytes]";
    }
}
