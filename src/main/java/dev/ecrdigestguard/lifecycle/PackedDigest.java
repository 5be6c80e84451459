package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;

/**
 * A sha256 digest as four longs (its 256 bits, most significant first) in a row of {@link LongRows}: 32 bytes where the
 * {@link Digest} object with its string costs about 130. Lowercase hex compares as the number it writes, so
 * {@link #compare} orders packed digests exactly as {@link Digest#compareTo} orders the digests.
 */
final class PackedDigest {

    private static final String PREFIX = "sha256:";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PackedDigest() {
    }

    /** Writes the digest into fields {@code field} to {@code field + 3} of the row. */
    static void pack(Digest digest, LongRows rows, int row, int field) {
        String text = digest.value();
        for (int part = 0; part < 4; part++) {
            long value = 0;
            int from = PREFIX.length() + 16 * part;
            for (int c = from; c < from + 16; c++) {
                char hex = text.charAt(c);
                value = value << 4 | (hex <= '9' ? hex - '0' : hex - 'a' + 10); // Digest admits only [0-9a-f]
            }
            rows.set(row, field + part, value);
        }
    }

    static Digest unpack(LongRows rows, int row, int field) {
        char[] text = new char[PREFIX.length() + 64];
        PREFIX.getChars(0, PREFIX.length(), text, 0);
        for (int part = 0; part < 4; part++) {
            long value = rows.get(row, field + part);
            for (int c = PREFIX.length() + 16 * part + 15; c >= PREFIX.length() + 16 * part; c--) {
                text[c] = HEX[(int) (value & 0xf)];
                value >>>= 4;
            }
        }
        return Digest.of(new String(text));
    }

    static int compare(LongRows rowsA, int a, int fieldA, LongRows rowsB, int b, int fieldB) {
        for (int part = 0; part < 4; part++) {
            int order = Long.compareUnsigned(rowsA.get(a, fieldA + part), rowsB.get(b, fieldB + part));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
