package dev.ecrdigestguard.alert;

import dev.ecrdigestguard.config.AwsRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The guard's own commands as an alert spells them, complete enough to work when pasted into a shell: the region the
 * push happened in, the repository, the tag and the production tag patterns the function was deployed with (the
 * commands refuse to guess them), each argument quoted for a POSIX shell where it needs it.
 *
 * <p>The commands assume the jar in the current directory under its released name; the runbook says where to get it.
 */
public final class CommandLines {

    /** How the runbook and every alert start the guard's command line. */
    public static final String JAR = "java -jar ecr-digest-guard.jar";

    /** Arguments a POSIX shell reads as they are. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._/:=@%+,-]+");

    private final ProductionTags productionTags;
    private final Optional<String> region;

    /** {@code region} as the event says it; one that is not a region name is left out rather than passed on. */
    public CommandLines(ProductionTags productionTags, String region) {
        this.productionTags = Objects.requireNonNull(productionTags, "productionTags");
        this.region = AwsRegion.valid(region);
    }

    /** Moves {@code tag} to a digest of its own, as MODE=RETAG does. */
    public String retag(RepositoryName repository, Tag tag) {
        return command("retag", repository, Optional.of(tag), true);
    }

    /** Runs the guard on the tag as it is now in ECR: exit status 0 once nothing is left to fix. */
    public String check(RepositoryName repository, Tag tag) {
        return command("check", repository, Optional.of(tag), true);
    }

    /** What the repository's lifecycle policy does to each image now, read live from ECR. */
    public String preview(RepositoryName repository) {
        return command("preview", repository, Optional.empty(), false);
    }

    /** ECR's own command that brings an archived image back to standard storage (AWS CLI v2). */
    public String restoreFromArchive(RepositoryName repository, Digest digest) {
        List<String> words = new ArrayList<>(List.of("aws", "ecr", "update-image-storage-class"));
        region.ifPresent(r -> words.addAll(List.of("--region", r)));
        words.addAll(List.of("--repository-name", quoted(repository.value()), "--image-id",
                "imageDigest=" + digest.value(), "--target-storage-class", "STANDARD"));
        return String.join(" ", words);
    }

    private String command(String name, RepositoryName repository, Optional<Tag> tag, boolean withPatterns) {
        List<String> words = new ArrayList<>(List.of(JAR, name));
        region.ifPresent(r -> words.addAll(List.of("--region", r)));
        words.addAll(List.of("--repository", quoted(repository.value())));
        tag.ifPresent(t -> words.addAll(List.of("--tag", quoted(t.value()))));
        if (withPatterns) {
            words.addAll(List.of("--production-tags", quoted(productionTags.toString())));
        }
        return String.join(" ", words);
    }

    /** {@code text} as one word of a POSIX shell: as it is when that is safe, else in single quotes. */
    static String quoted(String text) {
        if (SHELL_SAFE.matcher(text).matches()) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
