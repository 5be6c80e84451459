package dev.ecrdigestguard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample events in {@code events/} (real EventBridge shapes, usable with {@code sam local invoke -e}). */
public final class SampleEvents {

    public static final Path FOLDER = Path.of("events");
    public static final Path SNAPSHOT = FOLDER.resolve("snapshot");

    /** The push the guard must flag: tag-1-253-0 lands on the digest that already carries tag-1-252-0. */
    public static final String COLLISION = "push-collision.json";
    public static final String PRODUCTION_UNIQUE = "push-production-unique.json";
    public static final String NON_PRODUCTION = "push-non-production.json";
    public static final String UNKNOWN_FIELDS = "push-unknown-fields.json";
    public static final String UNTAGGED = "push-untagged.json";
    public static final String EMPTY_TAG = "push-empty-tag.json";
    public static final String FAILED = "push-failed.json";
    public static final String DELETE = "delete.json";
    public static final String UPDATE_STORAGE_CLASS = "update-storage-class.json";
    public static final String OTHER_DETAIL_TYPE = "other-detail-type.json";

    /** A deletion of a production tag: the post-mortem asks the ledger table, never ECR. */
    public static final String DELETE_PRODUCTION = "delete-production.json";

    /** Events the guard ignores without a single AWS call. */
    public static final List<String> IGNORED = List.of(UNTAGGED, EMPTY_TAG, FAILED, UPDATE_STORAGE_CLASS,
            OTHER_DETAIL_TYPE);
    /** Events of a tag that isn't production (pushed or deleted): decided from the settings, no AWS call. */
    public static final List<String> NOT_PRODUCTION = List.of(NON_PRODUCTION, UNKNOWN_FIELDS, DELETE);
    /** Events that can't be ECR pushes: logged as errors, never retried. */
    public static final List<String> MALFORMED = List.of("malformed-not-json.json", "malformed-no-digest.json",
            "malformed-bad-digest.json", "malformed-bad-repository.json", "malformed-bad-tag.json");

    private SampleEvents() {
    }

    public static Path path(String name) {
        return FOLDER.resolve(name);
    }

    public static InputStream open(String name) {
        try {
            return Files.newInputStream(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.json} directly in {@code events/}. */
    public static List<String> all() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
