package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.image.TagPattern;
import java.util.List;
import java.util.Objects;

/**
 * The {@code tagPrefixList} or {@code tagPatternList} of a tagged rule. ECR selects an image only when every entry
 * matches at least one of its tags, so {@code ["prod", "v1"]} needs a {@code prod…} tag and a {@code v1…} tag.
 *
 * @param entries the entries exactly as written in the policy
 * @param patterns the same entries as patterns ({@code prefix*} for prefixes)
 */
public record TagFilter(Kind kind, List<String> entries, List<TagPattern> patterns) {

    public enum Kind {
        PREFIX("tagPrefixList"), PATTERN("tagPatternList");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The policy field this kind of filter is written in. */
        public String field() {
            return field;
        }
    }

    public TagFilter {
        Objects.requireNonNull(kind, "kind");
        entries = List.copyOf(entries);
        patterns = List.copyOf(patterns);
        if (entries.isEmpty() || entries.size() != patterns.size()) {
            throw new IllegalArgumentException("a tag filter needs one pattern per entry, and at least one entry");
        }
    }

    /** Builds the filter; a bad entry throws {@link IllegalArgumentException} naming the entry. */
    public static TagFilter of(Kind kind, List<String> entries) {
        List<TagPattern> patterns = entries.stream()
                .map(entry -> kind == Kind.PREFIX ? TagPattern.prefix(entry) : TagPattern.of(entry))
                .toList();
        return new TagFilter(kind, entries, patterns);
    }

    public static TagFilter prefixes(String... prefixes) {
        return of(Kind.PREFIX, List.of(prefixes));
    }

    public static TagFilter patterns(String... patterns) {
        return of(Kind.PATTERN, List.of(patterns));
    }

    /** Whether every entry matches some tag of {@code tags}. */
    public boolean matches(List<Tag> tags) {
        // Indexed loops: this runs per image and rule, and an iterator per call showed up as allocation in profiles.
        for (int p = 0; p < patterns.size(); p++) {
            if (!matchesAny(patterns.get(p), tags)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(TagPattern pattern, List<Tag> tags) {
        for (int i = 0; i < tags.size(); i++) {
            if (pattern.matches(tags.get(i).value())) {
                return true;
            }
        }
        return false;
    }
}
