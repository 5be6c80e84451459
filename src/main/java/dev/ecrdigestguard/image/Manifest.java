package dev.ecrdigestguard.image;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A manifest exactly as stored: its bytes, the media type it is (or will be) served with, and the digest of those
 * bytes. The one manifest type of the program: the rewriting core reads and produces it, and the registry port
 * fetches and pushes it unchanged. Equality is by digest and media type (the digest already fixes the bytes), and
 * {@link #toString()} names the type, digest and size without dumping the bytes.
 */
public record Manifest(byte[] bytes, String mediaType, Digest digest) {

    public Manifest {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        Digest actual = Digest.sha256(bytes);
        if (!digest.equals(actual)) {
            throw new IllegalArgumentException("manifest digest " + digest + " does not match its bytes (" + actual + ")");
        }
    }

    public static Manifest of(byte[] bytes, String mediaType) {
        return new Manifest(bytes, mediaType, Digest.sha256(bytes));
    }

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest other && digest.equals(other.digest) && mediaType.equals(other.mediaType);
    }

    @Override
    public int hashCode() {
        return digest.hashCode() * 31 + mediaType.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + mediaType + " " + digest + ", " + bytes.length + " bytes]";
    }
}
