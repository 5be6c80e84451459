package dev.ecrdigestguard.finding;

import java.time.Duration;
import java.util.List;

/** Small pieces of English shared by the findings' explanations. */
public final class Wording {

    private Wording() {
    }

    /** "a, b and 3 more" — at most {@code limit} items named. */
    public static String listOf(List<?> items, int limit) {
        int shown = Math.min(items.size(), limit);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append(i == items.size() - 1 ? " and " : ", ");
            }
            text.append(items.get(i));
        }
        if (items.size() > shown) {
            text.append(" and ").append(items.size() - shown).append(" more");
        }
        return text.toString();
    }

    /** A duration as people say it: "3 days", "5 hours", "12 minutes". */
    public static String age(Duration duration) {
        long days = duration.toDays();
        if (days >= 2) {
            return days + " days";
        }
        long hours = duration.toHours();
        if (hours >= 2) {
            return hours + " hours";
        }
        long minutes = duration.toMinutes();
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    /** "1st", "2nd", "3rd", "4th", "11th", "21st". */
    public static String ordinal(int n) {
        int lastTwo = n % 100;
        if (lastTwo >= 11 && lastTwo <= 13) {
            return n + "th";
        }
        return switch (n % 10) {
            case 1 -> n + "st";
            case 2 -> n + "nd";
            case 3 -> n + "rd";
            default -> n + "th";
        };
    }
}
