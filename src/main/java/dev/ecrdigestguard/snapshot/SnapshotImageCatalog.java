package dev.ecrdigestguard.snapshot;

import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyFile;
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

    private final List<ImageRecord> images;
    private final Optional<String> policy;

    private SnapshotImageCatalog(List<ImageRecord> images, Optional<String> policy) {
        this.images = images;
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
        Path policyFile = folder.resolve(POLICY_FILE);
        // As GetLifecyclePolicy hands it over: the parser unwraps get-lifecycle-policy output itself, and a policy it
        // can't read is reported as the function reports one, without hiding the shared digest.
        Optional<String> policy = Files.isRegularFile(policyFile)
                ? Optional.of(LifecyclePolicyFile.readText(policyFile)) : Optional.empty();
        return new SnapshotImageCatalog(DescribeImagesReader.readAll(imagesFile), policy);
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
