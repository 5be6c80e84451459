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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    private static String imageWith(String field, String jsonValue) {
        return "{\"imageDetails\":[{\"imageDigest\":\"sha256:" + "a".repeat(64) + "\",\"imagePushedAt\":1,\""
                + field + "\":" + jsonValue + "}]}";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "imagePushedAt        | \"+999999999-12-31T23:59:59Z\"",
            "imagePushedAt        | \"-999999999-01-01T00:00:00+18:00\"",
            "imagePushedAt        | \"+10000-01-01T01:00:00.5+01:00\"",
            "imagePushedAt        | \"1969-12-31T23:59:59.999999+00:00\"",
            "lastRecordedPullTime | \"+10000-01-01T00:00:00Z\"",
            "lastArchivedAt       | \"0000-01-01T00:00:00Z\"",
            "lastActivatedAt      | 1e16",
            "imagePushedAt        | 1e400",
            "imagePushedAt        | -1e400",
            "lastRecordedPullTime | 9223372036854775808",
            "imagePushedAt        | -1",
            "imagePushedAt        | 253402300800",
            "imagePushedAt        | \"1e16\"",
            "lastArchivedAt       | \"1E+1000000000\""})
    void read_rejectsTimestampsOutsideTheSupportedRange_inOneLineNamingTheField(String field, String value) {
        assertThatThrownBy(() -> read(imageWith(field, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("describe-images output, line 1 column ")
                .hasMessageContaining(field + " ")
                .hasMessageContaining("outside the supported range 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(250));
    }

    @Test
    void read_acceptsTheEdgesOfTheRange_andReadsTinyEpochValuesAsTheEpoch() {
        assertThat(read(imageWith("lastRecordedPullTime", "\"9999-12-31T23:59:59.999999999Z\"")))
                .singleElement().satisfies(image -> assertThat(image.lastPulledAt()).contains(
                        Instant.parse("9999-12-31T23:59:59.999999999Z")));
        assertThat(read(imageWith("lastRecordedPullTime", "1e-100000000")))
                .singleElement().satisfies(image -> assertThat(image.lastPulledAt()).contains(Instant.EPOCH));
    }

    @Test
    void read_rejectsAHugeTimestampText_withAShortEcho() {
        assertThatThrownBy(() -> read(imageWith("imagePushedAt", "\"" + "9".repeat(100_000) + "\"")))
                .hasMessageContaining("imagePushedAt '999")
                .hasMessageContaining("is neither ISO-8601 with an offset nor epoch seconds")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(250));
    }

    @Test
    void read_acceptsAUtf8ByteOrderMark_atTheStart() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] json = imageWith("imageTags", "[\"v1\"]").getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[bom.length + json.length];
        System.arraycopy(bom, 0, file, 0, bom.length);
        System.arraycopy(json, 0, file, bom.length, json.length);
        List<ImageRecord> images = new ArrayList<>();

        DescribeImagesReader.read(new ByteArrayInputStream(file), images::add);

        assertThat(images).singleElement().satisfies(image -> assertThat(image.tags()).containsExactly(Tag.of("v1")));
    }

    @Test
    void readEntries_reusesTheRepositoryOfThePreviousImage_andChecksEveryNewOne() {
        String twoRepositories = "[" + entry("shop/web", "a") + "," + entry("shop/web", "b") + ","
                + entry("shop/api", "c") + "]";
        List<DescribeImagesReader.Entry> entries = new ArrayList<>();

        DescribeImagesReader.readEntries(new ByteArrayInputStream(twoRepositories.getBytes(StandardCharsets.UTF_8)),
                entries::add);

        assertThat(entries).extracting(entry -> entry.repository().orElseThrow().value())
                .containsExactly("shop/web", "shop/web", "shop/api");
        assertThatThrownBy(() -> read("[" + entry("shop/web", "a") + "," + entry("Shop/Web", "b") + "]"))
                .hasMessageContaining("invalid repository name 'Shop/Web'");
        assertThatThrownBy(() -> read(imageWith("repositoryName", "12345")))
                .hasMessageContaining("repositoryName must be a string");
    }

    private static String entry(String repository, String digestChar) {
        return "{\"repositoryName\":\"" + repository + "\",\"imageDigest\":\"sha256:" + digestChar.repeat(64)
                + "\",\"imagePushedAt\":1}";
    }

    @Test
    void read_takesNullMediaTypesAsAbsent() {
        assertThat(read(imageWith("imageManifestMediaType", "null"))).singleElement()
                .satisfies(image -> assertThat(image.manifestMediaType()).isEmpty());
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
