package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
import java.util.List;
import java.util.Objects;

/**
 * A tag pattern with the semantics of an ECR lifecycle {@code tagPatternList} entry: the whole tag must match,
 * {@code *} stands for any run of characters (possibly empty), every other character matches itself, case-sensitively.
 * ECR allows at most four wildcards per pattern; so do we, so a pattern that works here works in a lifecycle policy.
 *
 * <p>Matching is a linear scan over the literal segments (no regular expression), so a hostile tag can't make it slow.
 */
public final class TagPattern {

    public static final int MAX_WILDCARDS = 4;

    private final String pattern;
    private final List<String> segments;

    private TagPattern(String pattern) {
        this.pattern = pattern;
        this.segments = List.of(pattern.split("\\*", -1));
    }

    /** Parses a pattern, rejecting empty ones, more than four wildcards and characters no tag can hold. */
    public static TagPattern of(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("empty tag pattern");
        }
        long wildcards = pattern.chars().filter(c -> c == '*').count();
        if (wildcards > MAX_WILDCARDS) {
            throw new IllegalArgumentException("tag pattern '" + Echo.of(pattern) + "' has " + wildcards
                    + " wildcards; ECR allows at most " + MAX_WILDCARDS);
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean allowed = c == '*' || c == '.' || c == '_' || c == '-'
                    || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!allowed) {
                throw new IllegalArgumentException("tag pattern '" + Echo.of(pattern) + "' contains '"
                        + Echo.of(String.valueOf(c))
                        + "'; tags hold only letters, digits, '.', '_', '-' (and '*' as a wildcard)");
            }
        }
        return new TagPattern(pattern);
    }

    /** A {@code tagPrefixList} entry expressed as a pattern: {@code prefix*}. */
    public static TagPattern prefix(String prefix) {
        return of(Objects.requireNonNull(prefix) + "*");
    }

    public boolean matches(Tag tag) {
        return matches(tag.value());
    }

    public boolean matches(String tag) {
        int last = segments.size() - 1;
        if (last == 0) {
            return tag.equals(pattern);
        }
        String first = segments.get(0);
        String end = segments.get(last);
        if (tag.length() < first.length() + end.length() || !tag.startsWith(first) || !tag.endsWith(end)) {
            return false;
        }
        // Middle segments are matched leftmost-first between the fixed head and tail; leftmost is optimal for '*'.
        int position = first.length();
        int limit = tag.length() - end.length();
        for (int i = 1; i < last; i++) {
            String segment = segments.get(i);
            int found = tag.indexOf(segment, position);
            if (found < 0 || found + segment.length() > limit) {
                return false;
            }
            position = found + segment.length();
        }
        return true;
    }

    public String text() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagPattern other && pattern.equals(other.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
