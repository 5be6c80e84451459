package dev.ecrdigestguard.snapshot;

import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
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
    private final Optional<String> policy;

    private SnapshotImageCatalog(Path folder, List<ImageRecord> images, Set<RepositoryName> recorded,
                                 Optional<String> policy) {
        this.folder = folder;
        this.images = images;
        this.recorded = Set.copyOf(recorded);
        this.policy = policy;
    }

    /**
     * Opens a snapshot folder and reads it; a missing folder or images file, or a file that can't be what it should
     * be, is an error naming the path — before any event is looked at.
     */
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
        Path policyFile = folder.resolve(POLICY_FILE);
        // As GetLifecyclePolicy hands it over: the parser unwraps get-lifecycle-policy output itself, and a policy it
        // can't read is reported as the function reports one, without hiding the shared digest.
        Optional<String> policy = Files.isRegularFile(policyFile)
                ? Optional.of(LifecyclePolicyFile.readText(policyFile)) : Optional.empty();
        return new SnapshotImageCatalog(folder, images, recorded, policy);
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
        return policy;
    }

    @Override
    public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
        images.forEach(consumer);
    }
}
