package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pushed production tag shares its digest with other production tags and MODE=RETAG could not safely give it a
 * digest of its own (immutable tag, signed image, a manifest type that isn't rewritten, a registry that refused).
 * Nothing was changed; the lifecycle danger of the shared digest remains.
 *
 * @param reason why re-tagging is impossible or unsafe, in a sentence
 */
public record RetagRefusedFinding(
        RepositoryName repository,
        Tag tag,
        Digest imageDigest,
        List<Tag> otherProductionTags,
        String reason) implements Finding {

    public RetagRefusedFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(imageDigest);
        otherProductionTags = otherProductionTags.stream().sorted().toList();
        Objects.requireNonNull(reason);
    }

    @Override
    public Kind kind() {
        return Kind.RETAG_REFUSED;
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String title() {
        return tag + (otherProductionTags.isEmpty() ? " is still ranked by its old digest in "
                : " still shares its digest in ") + repository + ": re-tag refused";
    }

    @Override
    public String explanation() {
        String why = otherProductionTags.isEmpty()
                ? "The lifecycle policy takes the release tag " + tag + " in " + repository + " out of turn: its"
                        + " digest (" + imageDigest.shortForm() + ") was first pushed long before the release, and ECR"
                        + " ranks the image by that first push."
                : "The release tag " + tag + " was pushed to " + repository + " on a digest ("
                        + imageDigest.shortForm() + ") that already carries " + Wording.listOf(otherProductionTags, 10)
                        + ". ECR lifecycle rules count these releases as one image, as old as the oldest of them, so"
                        + " the newest release can be expired first.";
        return why + " The guard did not re-tag it and changed nothing: " + reason + ".";
    }

    @Override
    public List<NextStep> nextSteps() {
        List<NextStep> steps = new ArrayList<>();
        if (reason.contains("signed") || reason.contains("attested")) {
            steps.add(new NextStep.Advice("If re-signing the new digest is acceptable, re-tag with --allow-signed"
                    + " (or RETAG_SIGNED_IMAGES=true) and sign the new digest afterwards."));
        }
        steps.add(new NextStep.Advice("Raise the count of the lifecycle rule that keeps production images, so shared"
                + " digests can't push recent releases out."));
        steps.add(NextStep.UNIQUE_BUILDS);
        return steps;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("otherProductionTags", otherProductionTags.stream().map(Tag::value).toList());
        details.put("reason", reason);
        details.put("severity", severity().name());
        return details;
    }
}
