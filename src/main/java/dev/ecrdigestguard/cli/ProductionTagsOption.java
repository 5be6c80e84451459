package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.image.ProductionTags;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --production-tags} option the commands share (a picocli mixin). It falls back to
 * {@code $PRODUCTION_TAG_PATTERNS}, the variable the function reads, so one setting serves both.
 */
final class ProductionTagsOption {

    @Option(names = "--production-tags", paramLabel = "LIST",
            description = "Comma-separated production tag patterns ('*' wildcard), e.g. 'tag-*,v*.*.*'. "
                    + "Default: $PRODUCTION_TAG_PATTERNS.")
    String value;

    /** The patterns, or empty when neither the option nor the variable gives any; a bad pattern is an error. */
    Optional<ProductionTags> optional() {
        String text = value != null ? value : System.getenv(GuardConfig.PRODUCTION_TAG_PATTERNS);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProductionTags.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--production-tags: " + e.getMessage(), e);
        }
    }

    ProductionTags required() {
        return optional().orElseThrow(() -> new IllegalArgumentException(
                "no production tag patterns: pass --production-tags or set " + GuardConfig.PRODUCTION_TAG_PATTERNS));
    }
}
