package dev.ecrdigestguard.text;

/**
 * Outside input shown back to a person — in an error message, a log line, a terminal: bounded in length and with
 * every character that could act rather than show escaped. A 1 MB tag, an ANSI escape sequence in a rule
 * description, a carriage return that overwrites the line before it, a right-to-left override that reorders what
 * follows, a U+2028 that ends a line in some viewers: all are echoed as visible text ({@code \u001B}, {@code \r},
 * {@code \u202E}) and cut with a note of the real length, so what a reader sees is what was sent, and no more of it
 * than a line can hold.
 *
 * <p>Only the part that is shown is ever looked at: echoing a 10 MB value costs the first few characters.
 */
public final class Echo {

    /** A value inside a message: enough for any real tag, repository, ARN or timestamp. */
    public static final int VALUE = 80;
    /** A whole line on a terminal or in a log: one message with its values. */
    public static final int LINE = 2000;

    private static final String CUT = "...";

    private Echo() {
    }

    /** {@code value} escaped and cut to about {@value #VALUE} characters; {@code "null"} for null. */
    public static String of(String value) {
        return of(value, VALUE);
    }

    /** {@code value} escaped and cut to about {@code limit} characters (the note of the real length comes on top). */
    public static String of(String value, int limit) {
        if (value == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder(Math.min(value.length(), limit) + 16);
        int index = 0;
        while (index < value.length()) {
            if (shown.length() >= limit) {
                return shown.append(CUT).append(" (").append(value.length()).append(" characters)").toString();
            }
            int codePoint = value.codePointAt(index);
            appendShown(shown, codePoint);
            index += Character.charCount(codePoint);
        }
        return shown.toString();
    }

    private static void appendShown(StringBuilder shown, int codePoint) {
        if (!acts(codePoint)) {
            shown.appendCodePoint(codePoint);
            return;
        }
        switch (codePoint) {
            case '\n' -> shown.append("\\n");
            case '\r' -> shown.append("\\r");
            case '\t' -> shown.append("\\t");
            default -> shown.append(String.format("\\u%04X", codePoint));
        }
    }

    /**
     * Characters that do something instead of showing: C0 and C1 controls and DEL (terminal escapes, carriage
     * returns, NUL), the line and paragraph separators, the bidirectional controls that reorder text, the invisible
     * zero-width characters and byte-order mark, and a lone surrogate (no character at all).
     */
    static boolean acts(int codePoint) {
        return codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F)
                || codePoint == 0x2028 || codePoint == 0x2029
                || (codePoint >= 0x200B && codePoint <= 0x200F)
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069)
                || codePoint == 0x061C || codePoint == 0xFEFF
                || Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF;
    }
}
