package dev.ecrdigestguard.guard;

import static dev.ecrdigestguard.testing.Pushes.DIGEST;
import static dev.ecrdigestguard.testing.Pushes.EVENT_TIME;
import static dev.ecrdigestguard.testing.Pushes.PUSHED_AT;
import static dev.ecrdigestguard.testing.Pushes.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SharedDigestDetectorTest {

    private final SharedDigestDetector detector = new SharedDigestDetector(ProductionTags.parse("tag-*,v*.*.*"));

    @Test
    void detect_flagsOtherProductionTagsOnTheDigest_withCountsAndAge() {
        ImageRecord image = image("git-325dc21f", "tag-1-252-0", "git-684254dd", "tag-1-253-0", "v1.0.0");

        Optional<SharedDigestFinding> finding = detector.detect(REPOSITORY, Tag.of("tag-1-253-0"), image, EVENT_TIME);

        assertThat(finding).hasValueSatisfying(shared -> {
            assertThat(shared.kind()).isEqualTo(Finding.Kind.SHARED_DIGEST);
            assertThat(shared.repository()).isEqualTo(REPOSITORY);
            assertThat(shared.tag()).isEqualTo(Tag.of("tag-1-253-0"));
            assertThat(shared.imageDigest()).isEqualTo(DIGEST);
            assertThat(shared.otherProductionTags()).containsExactly(Tag.of("tag-1-252-0"), Tag.of("v1.0.0"));
            assertThat(shared.tagCount()).isEqualTo(5);
            assertThat(shared.imagePushedAt()).isEqualTo(PUSHED_AT);
            assertThat(shared.eventTime()).isEqualTo(EVENT_TIME);
            assertThat(shared.imageAgeAtEvent()).isEqualTo(Duration.between(PUSHED_AT, EVENT_TIME));
            assertThat(shared.details()).containsKeys("kind", "repository", "tag", "imageDigest",
                    "otherProductionTags", "tagCount", "imagePushedAt", "eventTime", "imageAgeSeconds");
            assertThat(shared.title()).isEqualTo("tag-1-253-0 shares its digest with tag-1-252-0 and v1.0.0 in shop-api");
            assertThat(shared.explanation()).contains("lifecycle").contains("6 days");
        });
    }

    @Test
    void detect_nothing_whenThePushedTagIsTheOnlyProductionTag() {
        ImageRecord image = image("git-325dc21f", "git-684254dd", "tag-1-253-0", "latest");

        assertThat(detector.detect(REPOSITORY, Tag.of("tag-1-253-0"), image, EVENT_TIME)).isEmpty();
    }

    @Test
    void detect_nothing_forAnUntaggedImage() {
        assertThat(detector.detect(REPOSITORY, Tag.of("tag-1"), image(), EVENT_TIME)).isEmpty();
    }

    @Test
    void imageAge_isZero_whenTheEventPrecedesThePushTime() {
        SharedDigestFinding finding = new SharedDigestFinding(REPOSITORY, Tag.of("tag-2"), DIGEST,
                List.of(Tag.of("tag-1")), 2, EVENT_TIME, PUSHED_AT);

        assertThat(finding.imageAgeAtEvent()).isZero();
    }

    private static ImageRecord image(String... tags) {
        return ImageRecord.of(DIGEST, Arrays.stream(tags).map(Tag::of).toList(), PUSHED_AT);
    }
}
