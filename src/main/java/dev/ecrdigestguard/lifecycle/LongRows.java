package dev.ecrdigestguard.lifecycle;

/**
 * Rows of a fixed number of longs, stored in chunks of 4,096 rows. It grows a chunk at a time, never copying what it
 * holds: a single array of a million rows would need room for the old and the grown copy at once, and that, not the
 * rows, is what outgrows a small heap. A chunk stays under half a G1 region of a small heap, so it is an ordinary
 * object rather than a humongous one that wastes the rest of its regions. A row's longs sit side by side, so reading
 * rows out of order costs a cache miss or two per row rather than one per field.
 */
final class LongRows {

    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_ROWS = 1 << CHUNK_BITS;
    private static final int ROW_MASK = CHUNK_ROWS - 1;

    private final int width;
    private long[][] chunks = new long[8][];
    private int rows;

    LongRows(int width) {
        this.width = width;
    }

    /** Appends a row of zeros and returns its number. */
    int add() {
        int chunk = rows >>> CHUNK_BITS;
        if (chunk == chunks.length) {
            long[][] more = new long[chunks.length * 2][];
            System.arraycopy(chunks, 0, more, 0, chunks.length);
            chunks = more;
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new long[CHUNK_ROWS * width];
        }
        if (rows == Integer.MAX_VALUE) {
            throw new OutOfMemoryError("more rows than an int counts");
        }
        return rows++;
    }

    int size() {
        return rows;
    }

    long get(int row, int field) {
        return chunks[row >>> CHUNK_BITS][(row & ROW_MASK) * width + field];
    }

    void set(int row, int field, long value) {
        chunks[row >>> CHUNK_BITS][(row & ROW_MASK) * width + field] = value;
    }
}
