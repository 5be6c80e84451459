package dev.ecrdigestguard.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A repository recorded with the AWS CLI, for offline checks: a folder holding {@code describe-images.json}
 * ({@code aws ecr describe-images --repository-name R}) and optionally {@code lifecycle-policy.json}
 * ({@code aws ecr get-lifecycle-policy --repository-name R}, or the bare policy document).
 * The snapshot stands for whichever repository the event names.
 */
public final class SnapshotImageCatalog implements ImageCatalog {

    public static final String IMAGES_FILE = "describe-images.json";
    public static final String POLICY_FILE = "lifecycle-policy.json";

    private final Path folder;
    private final List<ImageRecord> images;

    private SnapshotImageCatalog(Path folder, List<ImageRecord> images) {
        this.folder = folder;
        this.images = images;
    }

    /** Opens a snapshot folder; a missing folder or images file is an error naming the path. */
    public static SnapshotImageCatalog open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("snapshot folder " + folder + " does not exist");
        }
        Path imagesFile = folder.resolve(IMAGES_FILE);
        if (!Files.isRegularFile(imagesFile)) {
            throw new IllegalArgumentException("snapshot folder " + folder + " has no " + IMAGES_FILE
                    + " (record it with: aws ecr describe-images --repository-name NAME > " + IMAGES_FILE + ")");
        }
        return new SnapshotImageCatalog(folder, DescribeImagesReader.readAll(imagesFile));
    }

    @Override
    public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
        return images.stream().filter(image -> image.digest().equals(digest)).findFirst();
    }

    @Override
    public Optional<String> lifecyclePolicyText(RepositoryName repository) {
        Path policyFile = folder.resolve(POLICY_FILE);
        if (!Files.isRegularFile(policyFile)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(policyFile);
            JsonNode root = Json.mapper().readTree(text);
            // get-lifecycle-policy wraps the policy as a JSON string; a bare policy document is accepted as is.
            JsonNode wrapped = root.get("lifecyclePolicyText");
            return Optional.of(wrapped != null && wrapped.isTextual() ? wrapped.asText() : text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + policyFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
        images.forEach(consumer);
    }
}
