package dev.ecrdigestguard.registry;

import dev.ecrdigestguard.image.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** A manifest exactly as stored: its bytes, the media type it is served with, and the digest of those bytes. */
public record RegistryManifest(byte[] bytes, String mediaType, Digest digest) {

    public RegistryManifest {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (!digest.equals(sha256(bytes))) {
            throw new IllegalArgumentException("manifest digest " + digest + " does not match its bytes ("
                    + sha256(bytes) + ")");
        }
    }

    public static RegistryManifest of(byte[] bytes, String mediaType) {
        return new RegistryManifest(bytes, mediaType, sha256(bytes));
    }

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static Digest sha256(byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            return Digest.of("sha256:" + HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryManifest other && digest.equals(other.digest) && mediaType.equals(other.mediaType);
    }

    @Override
    public int hashCode() {
        return digest.hashCode() * 31 + mediaType.hashCode();
    }

    @Override
    public String toString() {
        return "RegistryManifest[" + mediaType + " " + digest + ", " + bytes.length + " bytes]";
    }
}
