package dev.ecrdigestguard.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A repository recorded with the AWS CLI, for offline checks: a folder holding {@code describe-images.json}
 * ({@code aws ecr describe-images --repository-name R}) and optionally {@code lifecycle-policy.json}
 * ({@code aws ecr get-lifecycle-policy --repository-name R}, or the bare policy document).
 * The recording is of the repository its images name ({@link #requireRecordingOf}).
 */
public final class SnapshotImageCatalog implements ImageCatalog {

    public static final String IMAGES_FILE = "describe-images.json";
    public static final String POLICY_FILE = "lifecycle-policy.json";

    private final Path folder;
    private final List<ImageRecord> images;
    private final Set<RepositoryName> recorded;

    private SnapshotImageCatalog(Path folder, List<ImageRecord> images, Set<RepositoryName> recorded) {
        this.folder = folder;
        this.images = images;
        this.recorded = Set.copyOf(recorded);
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
        List<ImageRecord> images = new ArrayList<>();
        Set<RepositoryName> recorded = new TreeSet<>(Comparator.comparing(RepositoryName::value));
        try (InputStream in = Files.newInputStream(imagesFile)) {
            DescribeImagesReader.readEntries(in, entry -> {
                images.add(entry.image());
                entry.repository().ifPresent(recorded::add);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + imagesFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(imagesFile + ": " + e.getMessage(), e);
        }
        return new SnapshotImageCatalog(folder, images, recorded);
    }

    /**
     * Refuses a repository the recording is not of: {@code describe-images} names the repository of every image, and
     * a snapshot of another repository would answer "the pushed image is gone" — a wrong answer, not a finding.
     * A recording that names no repository (a hand-made file) stands for any.
     */
    public void requireRecordingOf(RepositoryName repository) {
        if (!recorded.isEmpty() && !recorded.contains(repository)) {
            throw new IllegalArgumentException("snapshot " + folder + " records repository "
                    + recorded.stream().map(RepositoryName::value).collect(Collectors.joining(", "))
                    + ", not " + repository + ": record " + repository + " (aws ecr describe-images --repository-name "
                    + repository + " --output json > " + IMAGES_FILE + "), or check an event of the recorded one");
        }
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
