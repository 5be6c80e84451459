package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageRecordTest {

    private static final Digest DIGEST = Digest.of("sha256:" + "1".repeat(64));

    private static ImageRecord pulledAt(Instant pushed, Instant pulled) {
        return new ImageRecord(DIGEST, List.of(), pushed, Optional.of(pulled), ImageRecord.StorageClass.STANDARD,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    @Test
    void anImageRecord_acceptsTheEdgesOfTheSupportedRange() {
        ImageRecord record = pulledAt(InstantRange.EARLIEST, InstantRange.LATEST);

        assertThat(record.pushedAt()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void anImageRecord_refusesATimestampOutsideTheRange_namingFieldAndDigest() {
        assertThatThrownBy(() -> ImageRecord.of(DIGEST, List.of(), Instant.ofEpochSecond(10_000_000_000_000_000L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("imagePushedAt of " + DIGEST + " +316889355-")
                .hasMessageContaining("outside the supported range");
        assertThatThrownBy(() -> pulledAt(Instant.EPOCH, Instant.MIN))
                .hasMessageStartingWith("lastRecordedPullTime of " + DIGEST);
    }
}
