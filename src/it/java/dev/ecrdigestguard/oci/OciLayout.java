package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}) with tiny but real
 * images, so skopeo can copy them into the test registry exactly as a CI pipeline would push them.
 */
final class OciLayout {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final ArrayNode references = JSON.createArrayNode();

    private OciLayout(Path directory) {
        this.directory = directory;
    }

    static OciLayout create(Path directory) {
        try {
            Files.createDirectories(directory.resolve("blobs/sha256"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OciLayout(directory);
    }

    Path directory() {
        return directory;
    }

    /** Stores {@code content} and returns its descriptor. */
    ObjectNode blob(String mediaType, byte[] content) {
        Digest digest = Digest.sha256(content);
        try {
            Files.write(directory.resolve("blobs/sha256/" + digest.hex()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest.value());
        descriptor.put("size", content.length);
        return descriptor;
    }

    /** A one-layer linux image for {@code architecture} whose file {@code hello.txt} holds {@code text}. */
    ObjectNode image(String architecture, String text) {
        byte[] tar = tar("hello.txt", text.getBytes(StandardCharsets.UTF_8));
        ObjectNode layer = blob("application/vnd.oci.image.layer.v1.tar+gzip", gzip(tar));
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.putObject("config").putArray("Env").add("PATH=/bin");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(Digest.sha256(tar).value());
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", blob("application/vnd.oci.image.config.v1+json", bytes(config)));
        manifest.putArray("layers").add(layer);
        manifest.putObject("annotations").put("org.opencontainers.image.title", "hello " + architecture);
        ObjectNode descriptor = blob("application/vnd.oci.image.manifest.v1+json", bytes(manifest));
        descriptor.putObject("platform").put("architecture", architecture).put("os", "linux");
        return descriptor;
    }

    /** An in-toto style attestation of {@code subject}: an artifact manifest, as BuildKit adds to an index. */
    ObjectNode attestation(ObjectNode subject) {
        ObjectNode emptyConfig = blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8));
        ObjectNode statement = blob("application/vnd.in-toto+json",
                "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("artifactType", "application/vnd.in-toto+json");
        manifest.set("config", emptyConfig);
        manifest.putArray("layers").add(statement);
        ObjectNode subjectDescriptor = subject.deepCopy();
        subjectDescriptor.remove("platform");
        manifest.set("subject", subjectDescriptor);
        ObjectNode descriptor = blob("application/vnd.oci.image.manifest.v1+json", bytes(manifest));
        descriptor.putObject("platform").put("architecture", "unknown").put("os", "unknown");
        descriptor.putObject("annotations")
                .put("vnd.docker.reference.type", "attestation-manifest")
                .put("vnd.docker.reference.digest", subject.get("digest").asText());
        return descriptor;
    }

    ObjectNode index(List<ObjectNode> manifests) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode entries = index.putArray("manifests");
        manifests.forEach(entries::add);
        return blob("application/vnd.oci.image.index.v1+json", bytes(index));
    }

    /** Names {@code descriptor} {@code name} in index.json, so {@code oci:DIR:name} refers to it. */
    OciLayout tag(String name, ObjectNode descriptor) {
        ObjectNode reference = descriptor.deepCopy();
        reference.remove("platform");
        reference.putObject("annotations").put("org.opencontainers.image.ref.name", name);
        references.add(reference);
        return this;
    }

    /** Writes index.json and oci-layout; returns the {@code oci:} transport prefix for skopeo. */
    String write() {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.set("manifests", references);
        try {
            Files.write(directory.resolve("index.json"), bytes(index));
            Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "oci:" + directory;
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ustar archive holding one regular file, written by hand so the tests need no archive library. */
    static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, String.format("%06o", checksum));
        header[154] = 0;
        header[155] = ' ';
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
