package dev.ecrdigestguard.config;

import dev.ecrdigestguard.text.Echo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Repository name patterns, e.g. {@code sandbox/*,legacy-billing}: {@code *} stands for any run of characters
 * (including {@code /}), everything else matches itself. An empty list matches nothing.
 */
public record RepositoryPatterns(List<String> patterns) {

    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._/*-]{1,256}");

    public RepositoryPatterns {
        patterns = List.copyOf(patterns);
        for (String pattern : patterns) {
            if (!ALLOWED.matcher(pattern).matches()) {
                throw new IllegalArgumentException("repository pattern '" + Echo.of(pattern) + "' may hold only "
                        + "lowercase letters, digits, '.', '_', '-', '/' and '*' as a wildcard");
            }
        }
    }

    public static RepositoryPatterns none() {
        return new RepositoryPatterns(List.of());
    }

    /** Parses a comma-separated list; blank entries are skipped, so an empty value means "none". */
    public static RepositoryPatterns parse(String commaSeparated) {
        List<String> parsed = new ArrayList<>();
        if (commaSeparated != null) {
            for (String entry : commaSeparated.split(",")) {
                if (!entry.isBlank()) {
                    parsed.add(entry.trim());
                }
            }
        }
        return new RepositoryPatterns(parsed);
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public boolean matches(String repository) {
        for (String pattern : patterns) {
            if (matches(pattern, repository)) {
                return true;
            }
        }
        return false;
    }

    /** Glob match by literal segments, leftmost-first between a fixed head and tail (optimal for a lone '*'). */
    private static boolean matches(String pattern, String name) {
        String[] segments = pattern.split("\\*", -1);
        int last = segments.length - 1;
        if (last == 0) {
            return name.equals(pattern);
        }
        String head = segments[0];
        String tail = segments[last];
        if (name.length() < head.length() + tail.length() || !name.startsWith(head) || !name.endsWith(tail)) {
            return false;
        }
        int position = head.length();
        int limit = name.length() - tail.length();
        for (int i = 1; i < last; i++) {
            int found = name.indexOf(segments[i], position);
            if (found < 0 || found + segments[i].length() > limit) {
                return false;
            }
            position = found + segments[i].length();
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
