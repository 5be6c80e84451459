package dev.ecrdigestguard.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;

/** ECR's tag mutability with exclusion filters, decided per tag. */
class TagMutabilityProperties {

    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.strings().withChars("ab-1.").ofMinLength(1).ofMaxLength(12).map(s -> "t" + s);
    }

    @Provide
    Arbitrary<String> filters() {
        return Arbitraries.strings().withChars("ab-1.*").ofMinLength(1).ofMaxLength(8);
    }

    @Property
    void wildcardMatches_agreesWithAWholeStringGlob(@ForAll("filters") String filter, @ForAll("tags") String tag) {
        StringBuilder glob = new StringBuilder();
        String[] parts = filter.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            glob.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }

        assertThat(TagMutabilityReader.wildcardMatches(filter, tag)).isEqualTo(tag.matches(glob.toString()));
    }

    static ImageTagMutabilityExclusionFilter wildcard(String filter) {
        return ImageTagMutabilityExclusionFilter.builder().filterType("WILDCARD").filter(filter).build();
    }

    static TagMutability decide(String setting, List<ImageTagMutabilityExclusionFilter> filters, String tag) {
        return TagMutabilityReader.mutability(ImageTagMutability.fromValue(setting), filters, Tag.of(tag));
    }

    @Example
    void exclusionFilters_flipTheSetting_forTheTagsTheyMatch() {
        List<ImageTagMutabilityExclusionFilter> releases = List.of(wildcard("tag-*"));
        assertThat(decide("MUTABLE", releases, "tag-1")).isEqualTo(TagMutability.MUTABLE);
        assertThat(decide("IMMUTABLE", releases, "tag-1")).isEqualTo(TagMutability.IMMUTABLE);
        assertThat(decide("IMMUTABLE_WITH_EXCLUSION", releases, "tag-1")).isEqualTo(TagMutability.MUTABLE);
        assertThat(decide("IMMUTABLE_WITH_EXCLUSION", releases, "v1")).isEqualTo(TagMutability.IMMUTABLE);
        assertThat(decide("MUTABLE_WITH_EXCLUSION", releases, "tag-1")).isEqualTo(TagMutability.IMMUTABLE);
        assertThat(decide("MUTABLE_WITH_EXCLUSION", releases, "v1")).isEqualTo(TagMutability.MUTABLE);
    }

    @Example
    void whatThisSdkDoesNotKnow_keepsTheTagFixed() {
        ImageTagMutabilityExclusionFilter unknownType = ImageTagMutabilityExclusionFilter.builder()
                .filterType("REGEX").filter("tag-.*").build();
        assertThat(decide("SOMETHING_NEW", List.of(), "tag-1")).isEqualTo(TagMutability.IMMUTABLE);
        assertThat(decide("IMMUTABLE_WITH_EXCLUSION", List.of(unknownType), "tag-1"))
                .isEqualTo(TagMutability.IMMUTABLE);
        assertThat(decide("MUTABLE_WITH_EXCLUSION", List.of(unknownType), "tag-1"))
                .isEqualTo(TagMutability.IMMUTABLE);
    }
}
