package dev.ecrdigestguard.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A lifecycle policy stored in a file, as written by hand or saved from {@code aws ecr get-lifecycle-policy}. */
public final class LifecyclePolicyFile {

    /** UTF-8 takes at most four bytes a character: a larger file can't hold a policy the parser would read. */
    static final long MAX_BYTES = 4L * LifecyclePolicyParser.MAX_INPUT_CHARACTERS;

    private LifecyclePolicyFile() {
    }

    /** Reads and validates the policy; a policy ECR would reject throws {@link LifecyclePolicyException}. */
    public static LifecyclePolicy read(Path file) {
        String text = readText(file);
        try {
            return LifecyclePolicyParser.parse(text);
        } catch (LifecyclePolicyException e) {
            throw new LifecyclePolicyException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's text, for a caller that parses it later. A file too large to hold a policy is refused unread (an
     * {@link IllegalArgumentException}), so a wrong path — a disk image, a log — costs nothing.
     */
    public static String readText(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException("lifecycle policy " + file + " is " + size + " bytes; ECR accepts "
                        + "a policy of at most " + LifecyclePolicyParser.MAX_POLICY_CHARACTERS + " characters");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("lifecycle policy " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lifecycle policy " + file + ": " + e.getMessage(), e);
        }
    }
}
