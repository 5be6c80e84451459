package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;

/**
 * A sha256 digest as four longs (its 256 bits, most significant first) in a larger array: 32 bytes where the
 * {@link Digest} object with its string costs about 130. Lowercase hex compares as the number it writes, so
 * {@link #compare} orders packed digests exactly as {@link Digest#compareTo} orders the digests.
 */
final class PackedDigest {

    private static final int PREFIX = "sha256:".length();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PackedDigest() {
    }

    static void pack(Digest digest, long[] into, int at) {
        String text = digest.value();
        for (int part = 0; part < 4; part++) {
            long value = 0;
            int from = PREFIX + 16 * part;
            for (int c = from; c < from + 16; c++) {
                char hex = text.charAt(c);
                value = (value << 4) | (hex <= '9' ? hex - '0' : hex - 'a' + 10); // Digest admits only [0-9a-f]
            }
            into[at + part] = value;
        }
    }

    static Digest unpack(long[] from, int at) {
        char[] text = new char[PREFIX + 64];
        "sha256:".getChars(0, PREFIX, text, 0);
        for (int part = 0; part < 4; part++) {
            long value = from[at + part];
            for (int c = PREFIX + 16 * part + 15; c >= PREFIX + 16 * part; c--) {
                text[c] = HEX[(int) (value & 0xf)];
                value >>>= 4;
            }
        }
        return Digest.of(new String(text));
    }

    static int compare(long[] a, int atA, long[] b, int atB) {
        for (int part = 0; part < 4; part++) {
            int order = Long.compareUnsigned(a[atA + part], b[atB + part]);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
