package dev.ecrdigestguard.image;

import dev.ecrdigestguard.text.Echo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The set of patterns that make a tag a production release tag, e.g. {@code tag-*,v*.*.*}. */
public record ProductionTags(List<TagPattern> patterns) {

    public ProductionTags {
        patterns = List.copyOf(patterns);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("at least one production tag pattern is required");
        }
    }

    /** Parses a comma-separated list; blanks around entries are ignored, empty entries are an error. */
    public static ProductionTags parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            throw new IllegalArgumentException("no production tag patterns given (expected e.g. 'tag-*,v*.*.*')");
        }
        List<TagPattern> parsed = new ArrayList<>();
        for (String entry : commaSeparated.split(",", -1)) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty entry in production tag patterns '"
                        + Echo.of(commaSeparated) + "'");
            }
            parsed.add(TagPattern.of(trimmed));
        }
        return new ProductionTags(parsed);
    }

    public boolean isProduction(Tag tag) {
        for (TagPattern pattern : patterns) {
            if (pattern.matches(tag)) {
                return true;
            }
        }
        return false;
    }

    /** The production tags among {@code tags}, in their original order. */
    public List<Tag> select(Collection<Tag> tags) {
        return tags.stream().filter(this::isProduction).toList();
    }

    @Override
    public String toString() {
        return String.join(",", patterns.stream().map(TagPattern::text).toList());
    }
}
