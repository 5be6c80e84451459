package dev.ecrdigestguard.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them on a command line: {@code 24h}, {@code 7d}, {@code 90m}, {@code 0}, or ISO {@code PT24H}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([dhm])");

    private Durations() {
    }

    static Duration parse(String text, String option) {
        String value = text == null ? "" : text.trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = SHORT.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        try {
            Duration parsed = Duration.parse(value);
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(option + " '" + (value.length() > 40 ? value.substring(0, 40) + "..." : value)
                + "' is not a duration: use e.g. 24h, 7d, 90m, 0 or PT24H");
    }
}
