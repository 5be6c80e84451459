package dev.ecrdigestguard.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A lifecycle policy stored in a file, as written by hand or saved from {@code aws ecr get-lifecycle-policy}. */
public final class LifecyclePolicyFile {

    private LifecyclePolicyFile() {
    }

    /** Reads and validates the policy; a policy ECR would reject throws {@link LifecyclePolicyException}. */
    public static LifecyclePolicy read(Path file) {
        try {
            return LifecyclePolicyParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lifecycle policy " + file + ": " + e.getMessage(), e);
        } catch (LifecyclePolicyException e) {
            throw new LifecyclePolicyException(file + ": " + e.getMessage(), e);
        }
    }
}
