package dev.ecrdigestguard.bench;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A large, repeatable repository for the benchmarks: a mix of releases, CI builds, feature builds, untagged layers of
 * multi-arch pushes and archived images, spread over two years, with the five-rule policy a busy team might run.
 */
public final class SyntheticRepository {

    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    public static final String FIVE_RULE_POLICY = """
            {"rules":[
              {"rulePriority":1,"description":"Keep last 50 releases","selection":{"tagStatus":"tagged",
               "tagPrefixList":["tag-"],"countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}},
              {"rulePriority":2,"description":"Archive feature builds not pulled for 14 days","selection":{
               "tagStatus":"tagged","tagPatternList":["feature-*-build-*"],"countType":"sinceImagePulled",
               "countUnit":"days","countNumber":14},"action":{"type":"transition","targetStorageClass":"archive"}},
              {"rulePriority":3,"description":"Keep 500 untagged","selection":{"tagStatus":"untagged",
               "countType":"imageCountMoreThan","countNumber":500},"action":{"type":"expire"}},
              {"rulePriority":4,"description":"Delete after 180 days in archive","selection":{"tagStatus":"any",
               "storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":180},
               "action":{"type":"expire"}},
              {"rulePriority":5,"description":"Expire after 90 days","selection":{"tagStatus":"any",
               "countType":"sinceImagePushed","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]}
            """;

    private static final long TWO_YEARS_SECONDS = 2 * 365 * 86_400L;

    private SyntheticRepository() {
    }

    public static LifecyclePolicy policy() {
        return LifecyclePolicyParser.parse(FIVE_RULE_POLICY);
    }

    public static List<ImageRecord> images(int count, long seed) {
        return images(0, count, seed);
    }

    /** Images numbered {@code first} onwards (their digests and tags come from the number, their times from seed). */
    public static List<ImageRecord> images(int first, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ImageRecord> images = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            images.add(image(i, random));
        }
        return images;
    }

    private static ImageRecord image(int i, SplittableRandom random) {
        Digest digest = Digest.of(String.format("sha256:%064x", i));
        Instant pushed = NOW.minusSeconds(random.nextLong(TWO_YEARS_SECONDS));
        List<Tag> tags = new ArrayList<>(3);
        int kind = random.nextInt(100);
        if (kind < 30) {
            // untagged: children of multi-arch pushes, overwritten tags
        } else if (kind < 40) {
            tags.add(Tag.of("tag-1-" + i + "-0"));
            tags.add(Tag.of("git-" + Integer.toHexString(i)));
            if (random.nextInt(10) == 0) {
                tags.add(Tag.of("tag-1-" + i + "-1"));
            }
        } else if (kind < 70) {
            tags.add(Tag.of("feature-" + (i % 97) + "-build-" + i));
        } else {
            tags.add(Tag.of("git-" + Integer.toHexString(i)));
        }
        Optional<Instant> pulled = random.nextInt(3) == 0
                ? Optional.of(pushed.plusSeconds(random.nextLong(86_400L * 30)).plusMillis(random.nextInt(1000)))
                : Optional.empty();
        boolean archived = random.nextInt(20) == 0;
        return new ImageRecord(digest, tags, pushed, pulled, archived ? StorageClass.ARCHIVE : StorageClass.STANDARD,
                archived ? Optional.of(pushed.plusSeconds(86_400L * 20)) : Optional.empty(), Optional.empty(),
                Optional.of("application/vnd.oci.image.manifest.v1+json"), Optional.empty(), List.of());
    }

    /** Writes the images as {@code aws ecr describe-images} (CLI v2) prints them. */
    public static void writeDescribeImages(List<ImageRecord> images, Writer out) throws IOException {
        out.write(DOCUMENT_START);
        for (int i = 0; i < images.size(); i++) {
            writeImageDetail(images.get(i), i + 1 == images.size(), out);
        }
        out.write(DOCUMENT_END);
    }

    /**
     * Writes a file of {@code count} images as the CLI v2 prints them (a million images: about 480 MB), a slice at a
     * time so that writing it needs little memory. The same count gives the same file.
     */
    public static void writeDescribeImagesFile(Path file, int count) throws IOException {
        int slice = 50_000;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(DOCUMENT_START);
            for (int from = 0; from < count; from += slice) {
                List<ImageRecord> batch = images(from, Math.min(slice, count - from), 42 + from);
                for (int i = 0; i < batch.size(); i++) {
                    writeImageDetail(batch.get(i), from + i + 1 == count, out);
                }
            }
            out.write(DOCUMENT_END);
        }
    }

    private static final String DOCUMENT_START = "{\n    \"imageDetails\": [\n";
    private static final String DOCUMENT_END = "    ]\n}\n";
    /** The CLI v2's timestamps: microseconds and the offset of the machine that ran it. */
    private static final DateTimeFormatter CLI_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");
    private static final ZoneOffset CLI_OFFSET = ZoneOffset.ofHours(1);

    private static void writeImageDetail(ImageRecord image, boolean last, Writer out) throws IOException {
        out.write("        {\n            \"registryId\": \"123456789012\",\n"
                + "            \"repositoryName\": \"bench/app\",\n            \"imageDigest\": \"");
        out.write(image.digest().value());
        out.write("\",\n");
        if (!image.tags().isEmpty()) {
            out.write("            \"imageTags\": [\n");
            for (int t = 0; t < image.tags().size(); t++) {
                out.write("                \"" + image.tags().get(t).value() + "\""
                        + (t + 1 < image.tags().size() ? ",\n" : "\n"));
            }
            out.write("            ],\n");
        }
        out.write("            \"imageSizeInBytes\": 52345678,\n            \"imagePushedAt\": \"");
        out.write(CLI_TIME.format(image.pushedAt().atOffset(CLI_OFFSET)));
        out.write("\",\n            \"imageManifestMediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n");
        if (image.lastPulledAt().isPresent()) {
            out.write("            \"lastRecordedPullTime\": \"" + CLI_TIME.format(image.lastPulledAt().get()
                    .atOffset(CLI_OFFSET)) + "\",\n");
        }
        if (image.lastArchivedAt().isPresent()) {
            out.write("            \"lastArchivedAt\": \"" + CLI_TIME.format(image.lastArchivedAt().get()
                    .atOffset(CLI_OFFSET)) + "\",\n");
        }
        out.write("            \"imageStatus\": \"" + (image.storageClass() == StorageClass.ARCHIVE
                ? "ARCHIVED" : "ACTIVE") + "\"\n        }" + (last ? "\n" : ",\n"));
    }
}
