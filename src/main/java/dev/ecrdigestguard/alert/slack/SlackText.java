package dev.ecrdigestguard.alert.slack;

/**
 * Text as Slack needs it: {@code &}, {@code <} and {@code >} escaped (Slack reads {@code <…>} as links and mentions,
 * so an unescaped value could ping a channel or hide a link), and cut to a block's character limit <em>after</em>
 * escaping, never inside an entity.
 */
final class SlackText {

    private static final String ELLIPSIS = "…";

    private SlackText() {
    }

    static String escape(String raw) {
        return fit(raw, Integer.MAX_VALUE);
    }

    /** The escaped text, at most {@code limit} characters; a cut text ends with an ellipsis. */
    static String fit(String raw, int limit) {
        StringBuilder out = new StringBuilder(Math.min(raw.length() + 16, 4096));
        for (int i = 0; i < raw.length(); i++) {
            String piece = switch (raw.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                default -> null;
            };
            int width = piece == null ? 1 : piece.length();
            boolean last = i == raw.length() - 1;
            if (out.length() + width > limit - (last ? 0 : ELLIPSIS.length())) {
                return out.append(ELLIPSIS).toString();
            }
            if (piece == null) {
                out.append(raw.charAt(i));
            } else {
                out.append(piece);
            }
        }
        return out.toString();
    }
}
