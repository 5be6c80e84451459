package dev.ecrdigestguard.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class DescribeImagesReaderTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(DescribeImagesReaderTest.class.getResource("/snapshot/" + name)).toURI());
    }

    private static List<ImageRecord> read(String json) {
        List<ImageRecord> images = new ArrayList<>();
        DescribeImagesReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), images::add);
        return images;
    }

    @Test
    void readAll_readsCliV2Output_withIsoTimestampsAndArchiveFields() throws Exception {
        // WHEN
        List<ImageRecord> images = DescribeImagesReader.readAll(resource("describe-images-v2.json"));

        // THEN
        assertThat(images).hasSize(2);
        ImageRecord release = images.get(0);
        assertThat(release.digest()).isEqualTo(
                Digest.of("sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c"));
        assertThat(release.tags()).containsExactly(Tag.of("git-325dc21f"), Tag.of("tag-1-252-0"), Tag.of("tag-1-253-0"));
        assertThat(release.pushedAt()).isEqualTo(Instant.ofEpochSecond(1671098240L));
        assertThat(release.lastPulledAt()).contains(Instant.parse("2022-12-20T07:01:02.123Z"));
        assertThat(release.storageClass()).isEqualTo(StorageClass.STANDARD);
        assertThat(release.manifestMediaType()).contains("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(release.artifactMediaType()).contains("application/vnd.docker.container.image.v1+json");
        ImageRecord archived = images.get(1);
        assertThat(archived.tags()).isEmpty();
        assertThat(archived.storageClass()).isEqualTo(StorageClass.ARCHIVE);
        assertThat(archived.lastArchivedAt()).contains(Instant.parse("2023-01-01T00:00:00Z"));
    }

    @Test
    void readAll_readsCliV1Output_withEpochSeconds() throws Exception {
        List<ImageRecord> images = DescribeImagesReader.readAll(resource("describe-images-v1.json"));

        assertThat(images).singleElement().satisfies(image -> {
            assertThat(image.pushedAt()).isEqualTo(Instant.ofEpochSecond(1671098240L));
            assertThat(image.lastPulledAt()).contains(Instant.ofEpochSecond(1671519662L, 123_000_000));
        });
    }

    @Test
    void readEntries_givesTheRepositoryOfEachImage() throws Exception {
        List<DescribeImagesReader.Entry> entries = new ArrayList<>();
        try (InputStream in = java.nio.file.Files.newInputStream(resource("describe-images-v2.json"))) {
            DescribeImagesReader.readEntries(in, entries::add);
        }

        assertThat(entries).extracting(DescribeImagesReader.Entry::repository)
                .containsOnly(java.util.Optional.of(RepositoryName.of("shop/web")));
    }

    @Test
    void read_acceptsPagesAppendedToOneFile_andBareArrays() {
        String page = "{\"imageDetails\":[{\"imageDigest\":\"sha256:" + "a".repeat(64)
                + "\",\"imagePushedAt\":1.5}],\"nextToken\":\"x\"}";
        String secondPage = "{\"imageDetails\":[{\"imageDigest\":\"sha256:" + "b".repeat(64)
                + "\",\"imagePushedAt\":\"2024-01-01T00:00:00Z\"}]}";
        String array = "[{\"imageDigest\":\"sha256:" + "c".repeat(64) + "\",\"imagePushedAt\":2}]";

        List<ImageRecord> images = read(page + "\n" + secondPage + "\n" + array);

        assertThat(images).extracting(ImageRecord::pushedAt).containsExactly(Instant.ofEpochMilli(1500),
                Instant.parse("2024-01-01T00:00:00Z"), Instant.ofEpochSecond(2));
    }

    @Test
    void read_ignoresUnknownFields_includingNestedOnes() {
        List<ImageRecord> images = read("{\"imageDetails\":[{\"future\":{\"a\":[1,{\"b\":2}]},\"imageDigest\":\"sha256:"
                + "a".repeat(64) + "\",\"imagePushedAt\":1}],\"other\":[{\"imageDigest\":\"x\"}]}");

        assertThat(images).hasSize(1);
    }

    @Test
    void read_rejectsAnImageWithoutPushTime_namingTheLine() {
        assertThatThrownBy(() -> read("{\"imageDetails\":[\n{\"imageDigest\":\"sha256:" + "a".repeat(64) + "\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("has no imagePushedAt");
    }

    @Test
    void read_rejectsATimestampThatIsNeitherIsoNorEpoch() {
        assertThatThrownBy(() -> read("{\"imageDetails\":[{\"imageDigest\":\"sha256:" + "a".repeat(64)
                + "\",\"imagePushedAt\":\"yesterday\"}]}"))
                .hasMessageContaining("imagePushedAt 'yesterday' is neither ISO-8601 with an offset nor epoch seconds");
    }

    @Test
    void read_rejectsAFileWithoutImageDetails_suchAsAPolicy() {
        assertThatThrownBy(() -> read("{\"rules\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'imageDetails' array");
    }

    @Test
    void read_rejectsInvalidJson_asBadInput() {
        assertThatThrownBy(() -> read("{\"imageDetails\": [ {"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }
}
