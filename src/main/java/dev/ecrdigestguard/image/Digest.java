package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as ECR and the OCI distribution spec write it, {@code sha256:<64 lowercase hex>}.
 * Built only through {@link #of(String)}, so every {@code Digest} in the program is valid.
 */
public record Digest(String value) implements Comparable<Digest> {

    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    public Digest {
        if (value == null || !SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid image digest '" + Echo.of(value)
                    + "': expected sha256: followed by 64 lowercase hex characters");
        }
    }

    public static Digest of(String value) {
        return new Digest(value);
    }

    /** The digest of {@code content}: sha256 over exactly these bytes. */
    public static Digest sha256(byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            return new Digest("sha256:" + HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The hex part, for cosign-style tags ({@code sha256-<hex>.sig}) and short display. */
    public String hex() {
        return value.substring("sha256:".length());
    }

    /** The first 12 hex characters, as container tools abbreviate image ids. */
    public String shortForm() {
        return value.substring(0, "sha256:".length() + 12);
    }

    @Override
    public int compareTo(Digest other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
