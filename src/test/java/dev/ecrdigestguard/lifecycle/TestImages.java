package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Short-hand for the image tables of the lifecycle tests: images are named, and their digest derives from the name. */
final class TestImages {

    static final Instant NOW = Instant.parse("2024-06-30T12:00:00Z");

    private TestImages() {
    }

    static Digest digest(String name) {
        return Digest.sha256(name.getBytes(StandardCharsets.UTF_8));
    }

    static Instant day(String isoDate) {
        return LocalDate.parse(isoDate).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    static Instant daysAgo(long days) {
        return NOW.minusSeconds(days * 86_400);
    }

    /** A standard-storage image pushed at {@code pushedAt}, never pulled. */
    static ImageRecord image(String name, Instant pushedAt, String... tags) {
        return ImageRecord.of(digest(name), Arrays.stream(tags).map(Tag::of).toList(), pushedAt);
    }

    static ImageRecord pulled(ImageRecord image, Instant lastPulledAt) {
        return new ImageRecord(image.digest(), image.tags(), image.pushedAt(), Optional.of(lastPulledAt),
                image.storageClass(), image.lastArchivedAt(), image.lastActivatedAt(), image.manifestMediaType(),
                image.artifactMediaType(), image.indexChildren());
    }

    static ImageRecord archived(ImageRecord image, Instant archivedAt) {
        return new ImageRecord(image.digest(), image.tags(), image.pushedAt(), image.lastPulledAt(),
                StorageClass.ARCHIVE, Optional.of(archivedAt), image.lastActivatedAt(), image.manifestMediaType(),
                image.artifactMediaType(), image.indexChildren());
    }

    static ImageRecord restored(ImageRecord image, Instant archivedAt, Instant activatedAt) {
        return new ImageRecord(image.digest(), image.tags(), image.pushedAt(), image.lastPulledAt(),
                StorageClass.STANDARD, Optional.of(archivedAt), Optional.of(activatedAt), image.manifestMediaType(),
                image.artifactMediaType(), image.indexChildren());
    }

    static ImageRecord index(ImageRecord image, ImageRecord... children) {
        return new ImageRecord(image.digest(), image.tags(), image.pushedAt(), image.lastPulledAt(),
                image.storageClass(), image.lastArchivedAt(), image.lastActivatedAt(),
                Optional.of("application/vnd.oci.image.index.v1+json"), image.artifactMediaType(),
                Arrays.stream(children).map(ImageRecord::digest).toList());
    }

    static List<Digest> digests(String... names) {
        return Arrays.stream(names).map(TestImages::digest).toList();
    }
}
