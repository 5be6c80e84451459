package dev.ecrdigestguard.image;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * ISO-8601 text of instants, by hand for the common shapes. A {@code describe-images} file holds up to four timestamps
 * per image and {@code preview} writes one back; through {@code java.time.format} those cost more than all the JSON
 * around them. Only the shapes the AWS CLI and ECR write are handled here; {@link InstantRange#parseIso} gives any
 * other text to {@code OffsetDateTime.parse}, so what is accepted, the instant it means, and the errors stay exactly
 * those of {@code java.time} (a property test holds both to it).
 */
public final class InstantText {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long DAYS_0000_TO_1970 = 719_528;
    private static final long DAYS_PER_400_YEARS = 146_097;
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private InstantText() {
    }

    /**
     * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f…](Z|±HH:MM)}, one to nine fraction digits, a valid date and time;
     * null for any other text, which may still be ISO-8601 (lowercase {@code t}, no seconds, {@code +HH:MM:SS}…) or
     * not, for {@code java.time} to decide.
     */
    static Instant parseCommonShape(String text) {
        return parseCommonShape(text.toCharArray(), 0, text.length());
    }

    /** {@link #parseCommonShape(String)} of {@code length} characters at {@code offset}, as JSON parsers hold them. */
    static Instant parseCommonShape(char[] text, int offset, int length) {
        if (length < 20 || length > 35 || text[offset + 4] != '-' || text[offset + 7] != '-'
                || text[offset + 10] != 'T' || text[offset + 13] != ':' || text[offset + 16] != ':') {
            return null;
        }
        int year = digits(text, offset, 4);
        int month = digits(text, offset + 5, 2);
        int day = digits(text, offset + 8, 2);
        int hour = digits(text, offset + 11, 2);
        int minute = digits(text, offset + 14, 2);
        int second = digits(text, offset + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (text[offset + position] == '.') {
            int start = ++position;
            while (position < length && isDigit(text[offset + position])) {
                nanos = nanos * 10 + (text[offset + position] - '0');
                position++;
            }
            int fractionDigits = position - start;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = offsetSeconds(text, offset + position, length - position);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return null;
        }
        long seconds = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The offset {@code Z} or {@code ±HH:MM} that ends the text at {@code position}, in seconds; else MIN_VALUE. */
    private static int offsetSeconds(char[] text, int position, int remaining) {
        if (remaining == 1 && text[position] == 'Z') {
            return 0;
        }
        char sign = remaining == 6 ? text[position] : ' ';
        if ((sign != '+' && sign != '-') || text[position + 3] != ':') {
            return Integer.MIN_VALUE;
        }
        int hours = digits(text, position + 1, 2);
        int minutes = digits(text, position + 4, 2);
        int total = hours * 3600 + minutes * 60;
        if (hours < 0 || minutes < 0 || minutes > 59 || total > MAX_OFFSET_SECONDS) {
            return Integer.MIN_VALUE;
        }
        return sign == '-' ? -total : total;
    }

    /**
     * Exactly what {@link Instant#toString()} gives ({@code 2024-06-01T09:57:20Z}, fractions in groups of three
     * digits), written by hand for the supported range and by {@code Instant} outside it.
     */
    public static String format(Instant instant) {
        if (instant.isBefore(InstantRange.EARLIEST) || instant.isAfter(InstantRange.LATEST)) {
            return instant.toString();
        }
        byte[] text = new byte[MAX_LENGTH];
        return new String(text, 0, write(instant, text, 0), StandardCharsets.US_ASCII);
    }

    /** The longest text {@link #write} writes: {@code 9999-12-31T23:59:59.999999999Z}. */
    public static final int MAX_LENGTH = 30;

    /**
     * Writes {@link #format}'s text of an instant in the supported range as ASCII into {@code text} at {@code at}
     * (room for {@link #MAX_LENGTH} bytes) and returns where it ends: for writers of a lot of JSON.
     */
    public static int write(Instant instant, byte[] text, int at) {
        InstantRange.check(instant, "instant");
        long seconds = instant.getEpochSecond();
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        int nanos = instant.getNano();
        int end = writeDate(Math.floorDiv(seconds, SECONDS_PER_DAY), text, at);
        text[end++] = 'T';
        end = write2(secondOfDay / 3600, text, end);
        text[end++] = ':';
        end = write2(secondOfDay / 60 % 60, text, end);
        text[end++] = ':';
        end = write2(secondOfDay % 60, text, end);
        if (nanos != 0) {
            text[end++] = '.';
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
            int value = nanos / (digits == 3 ? 1_000_000 : digits == 6 ? 1000 : 1);
            for (int i = end + digits - 1; i >= end; i--) {
                text[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            end += digits;
        }
        text[end++] = 'Z';
        return end;
    }

    /** {@code yyyy-MM-dd} of an epoch day from 1970 to 9999 (the civil-from-days algorithm of {@code LocalDate}). */
    private static int writeDate(long epochDay, byte[] text, int at) {
        long zeroDay = epochDay + DAYS_0000_TO_1970 - 60; // counted from 0000-03-01: the leap day ends each cycle
        long year = (400 * zeroDay + 591) / DAYS_PER_400_YEARS;
        long dayOfYear = zeroDay - (365 * year + year / 4 - year / 100 + year / 400);
        if (dayOfYear < 0) {
            year--;
            dayOfYear = zeroDay - (365 * year + year / 4 - year / 100 + year / 400);
        }
        int marchMonth = ((int) dayOfYear * 5 + 2) / 153;
        int month = (marchMonth + 2) % 12 + 1;
        int day = (int) dayOfYear - (marchMonth * 306 + 5) / 10 + 1;
        year += marchMonth / 10;
        int end = write2((int) year / 100, text, at);
        end = write2((int) year % 100, text, end);
        text[end++] = '-';
        end = write2(month, text, end);
        text[end++] = '-';
        return write2(day, text, end);
    }

    private static int write2(int value, byte[] text, int at) {
        text[at] = (byte) ('0' + value / 10);
        text[at + 1] = (byte) ('0' + value % 10);
        return at + 2;
    }

    /** Days from 1970-01-01 to a valid date of years 0 to 9999 ({@code LocalDate.toEpochDay}). */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400
                + (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= isLeap(year) ? 1 : 2;
        }
        return total - DAYS_0000_TO_1970;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** The value of {@code count} ASCII digits at {@code from}; -1 when any is not a digit. */
    private static int digits(char[] text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text[i];
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
