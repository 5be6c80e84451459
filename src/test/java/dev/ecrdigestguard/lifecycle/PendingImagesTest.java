package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PendingImagesTest {

    private static ImageRecord image(int number, List<Tag> tags) {
        Optional<Instant> sometimes = number % 3 == 0 ? Optional.of(Instant.ofEpochSecond(number, number % 1000))
                : Optional.empty();
        return new ImageRecord(Digest.of(String.format("sha256:%064x", (long) number * 0x9e3779b97f4a7c15L)), tags,
                Instant.ofEpochSecond(1_700_000_000L + number, number * 7 % 1_000_000_000), sometimes,
                number % 5 == 0 ? StorageClass.ARCHIVE : StorageClass.STANDARD,
                number % 5 == 0 ? Optional.of(Instant.ofEpochSecond(253_402_300_799L, 999_999_999)) : Optional.empty(),
                number % 7 == 0 ? Optional.of(Instant.EPOCH) : Optional.empty(),
                number % 2 == 0 ? Optional.of("application/vnd.oci.image.manifest.v1+json") : Optional.empty(),
                number % 4 == 1 ? Optional.of("type-" + number % 11) : Optional.empty(), List.of());
    }

    @Test
    void get_givesBackEveryImageAsAdded_acrossRowChunksAndTextChunks() {
        // GIVEN 10,000 images (three row chunks), tags filling several text chunks, and one image whose tags alone
        // are larger than a text chunk
        PendingImages pending = new PendingImages();
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int number = i;
            List<Tag> tags = number == 5_000
                    ? IntStream.range(0, 1_000).mapToObj(t -> Tag.of(t + "-" + "x".repeat(290))).toList()
                    : IntStream.range(0, number % 4).mapToObj(t -> Tag.of("tag-" + number + "-" + t)).toList();
            images.add(image(number, tags));
        }

        // WHEN
        List<Integer> slots = images.stream().map(pending::add).toList();

        // THEN
        assertThat(slots).containsExactlyElementsOf(IntStream.range(0, 10_000).boxed().toList());
        for (int i = 0; i < images.size(); i++) {
            assertThat(pending.get(i)).isEqualTo(images.get(i));
        }
    }

    @Test
    void compareDigests_ordersAsDigestsDo() {
        PendingImages pending = new PendingImages();
        List<ImageRecord> images = IntStream.range(0, 200).mapToObj(i -> image(i, List.of())).toList();
        images.forEach(pending::add);

        for (int a = 0; a < images.size(); a++) {
            for (int b = 0; b < images.size(); b++) {
                assertThat(Integer.signum(pending.compareDigests(a, b)))
                        .isEqualTo(Integer.signum(images.get(a).digest().compareTo(images.get(b).digest())));
            }
        }
    }
}
