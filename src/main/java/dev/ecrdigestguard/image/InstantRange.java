package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The instants the guard accepts from outside — event times, {@code imagePushedAt} and the other image timestamps,
 * {@code --now}: from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. ECR has no earlier or later times, and
 * within this range every sum the lifecycle engine makes (an instant in milliseconds plus a rule's days) fits in a
 * {@code long}, so a hostile timestamp is rejected where it enters instead of overflowing deep inside an evaluation.
 */
public final class InstantRange {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final BigDecimal EARLIEST_SECONDS = BigDecimal.valueOf(EARLIEST.getEpochSecond());
    private static final BigDecimal LATEST_SECONDS = BigDecimal.valueOf(LATEST.getEpochSecond() + 1);

    private InstantRange() {
    }

    /** {@code value}, or an {@link IllegalArgumentException} naming {@code field} when it is outside the range. */
    public static Instant check(Instant value, String field) {
        if (!contains(value)) {
            throw outside(field, value.toString());
        }
        return value;
    }

    /** Whether {@code value} is within the range; for callers that name the field only when it is not. */
    public static boolean contains(Instant value) {
        return !value.isBefore(EARLIEST) && !value.isAfter(LATEST);
    }

    /** An ISO-8601 instant with an offset ({@code 2022-12-15T09:57:20Z}, {@code …+01:00}), within the range. */
    public static Instant parseIso(String text, String field) {
        return parseIso(text.toCharArray(), 0, text.length(), field);
    }

    /**
     * {@link #parseIso(String, String)} of {@code length} characters at {@code offset}: a JSON parser's buffer, so the
     * common case makes no string.
     */
    public static Instant parseIso(char[] chars, int offset, int length, String field) {
        Instant parsed = InstantText.parseCommonShape(chars, offset, length);
        if (parsed == null) {
            String text = new String(chars, offset, length);
            try {
                parsed = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " '" + Echo.of(text) + "' is not an ISO-8601 instant such"
                        + " as 2022-12-15T09:57:20Z");
            }
        }
        return check(parsed, field);
    }

    /** Seconds since the epoch, with a fraction (the AWS CLI v1 writes {@code 1671098240.0}), within the range. */
    public static Instant ofEpochSeconds(BigDecimal seconds, String field) {
        if (seconds.compareTo(EARLIEST_SECONDS) < 0 || seconds.compareTo(LATEST_SECONDS) >= 0) {
            throw outside(field, Echo.of(seconds.toString()) + " seconds since the epoch");
        }
        if (seconds.scale() - seconds.precision() >= 9) {
            // Below a nanosecond (1e-100000000, say): the epoch. Rescaling such a value would compute 10 to the power
            // of its scale, which takes seconds to forever for a number a dozen characters long.
            return EARLIEST;
        }
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    private static IllegalArgumentException outside(String field, String value) {
        return new IllegalArgumentException(field + " " + value + " is outside the supported range "
                + EARLIEST + " to 9999-12-31T23:59:59Z");
    }
}
