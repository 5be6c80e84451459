package dev.ecrdigestguard.alert;

/**
 * Text from outside the guard — a rule description from the lifecycle policy, fields of the event — as it may appear
 * in an alert: one line, without control characters, terminal escape sequences or invisible direction and line
 * separator characters, and bounded. A rule description holding {@code "\u001b[2J"} or a line break would otherwise
 * clear an on-call's terminal or forge a line of the alert. Markup (Slack's {@code <!channel>}) is each channel's
 * own escaping; this is what every channel shares.
 */
public final class AlertText {

    private static final char ESC = '\u001b';
    private static final String ELLIPSIS = "…";

    private AlertText() {
    }

    /** {@code text} as one clean line of at most {@code max} characters; a cut line ends with an ellipsis. */
    public static String oneLine(String text, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, not " + max);
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        int i = 0;
        while (i < text.length() && out.length() <= max) {
            char c = text.charAt(i);
            if (c == ESC) {
                i = afterEscapeSequence(text, i);
                continue;
            }
            if (c == '\r' || c == '\n' || c == '\t' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else if (!invisible(c)) {
                out.append(c);
            }
            i++;
        }
        if (out.length() > max || i < text.length()) {
            int keep = Math.max(0, Math.min(out.length(), max - ELLIPSIS.length()));
            if (keep > 0 && Character.isHighSurrogate(out.charAt(keep - 1))) {
                keep--;
            }
            return out.substring(0, keep) + ELLIPSIS;
        }
        return out.toString().stripTrailing();
    }

    /** Control characters, and format characters such as right-to-left overrides that reorder what is shown. */
    private static boolean invisible(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT && c != '\u200d';
    }

    /** Past an ANSI escape sequence starting at {@code at}: CSI ({@code ESC [ … final}), OSC ({@code ESC ] … BEL}). */
    private static int afterEscapeSequence(String text, int at) {
        int i = at + 1;
        if (i >= text.length()) {
            return i;
        }
        char kind = text.charAt(i);
        if (kind == '[') {
            i++;
            while (i < text.length() && (text.charAt(i) < 0x40 || text.charAt(i) > 0x7e)) {
                i++;
            }
            return i + 1;
        }
        if (kind == ']') {
            while (i < text.length() && text.charAt(i) != '\u0007' && text.charAt(i) != ESC) {
                i++;
            }
            return text.startsWith(ESC + "\\", i) ? i + 2 : i + 1;
        }
        return i + 1;
    }
}
