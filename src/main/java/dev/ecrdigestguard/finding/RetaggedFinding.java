package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The guard (MODE=RETAG) moved a production tag that shared its digest to an image with the same content and a digest
 * of its own. People still need to know: scan results and signatures are per digest and stay with the old one.
 *
 * @param imageDigest         the digest the tag pointed at (and the other production tags still do)
 * @param newDigest           the digest the tag points at now
 * @param whatChanged         the one label or annotation that differs, in words
 * @param otherProductionTags the production tags that stay on {@code imageDigest}, sorted
 */
public record RetaggedFinding(
        RepositoryName repository,
        Tag tag,
        Digest imageDigest,
        Digest newDigest,
        String whatChanged,
        List<Tag> otherProductionTags) implements Finding {

    public RetaggedFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(newDigest);
        Objects.requireNonNull(whatChanged);
        otherProductionTags = otherProductionTags.stream().sorted().toList();
        if (imageDigest.equals(newDigest)) {
            throw new IllegalArgumentException("a re-tag moves the tag to a different digest, not to " + newDigest);
        }
    }

    @Override
    public Kind kind() {
        return Kind.RETAGGED;
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public String title() {
        return tag + " re-tagged to a digest of its own in " + repository;
    }

    @Override
    public String explanation() {
        String why = otherProductionTags.isEmpty()
                ? "The lifecycle policy was about to delete the release tag " + tag + " in " + repository
                        + " out of turn: its digest (" + imageDigest.shortForm() + ") was first pushed long before the"
                        + " release, and ECR ranks the image by that first push."
                : "The release tag " + tag + " was pushed to " + repository + " on a digest ("
                        + imageDigest.shortForm() + ") that already carried " + Wording.listOf(otherProductionTags, 10)
                        + ", so ECR lifecycle rules would have counted these releases as one image.";
        return why + " The guard moved " + tag + " from " + imageDigest + " to " + newDigest + ": the same layers and"
                + " configuration, except " + whatChanged + ", pushed now, so it ranks as a new image. Scan findings"
                + " and signatures belong to a digest: those of " + imageDigest.shortForm() + " stay with the old"
                + " digest and do not cover " + newDigest.shortForm() + ".";
    }

    @Override
    public List<NextStep> nextSteps() {
        return List.of(
                new NextStep.Advice("Scan and, if you sign images, sign " + newDigest.shortForm() + ": results and"
                        + " signatures of " + imageDigest.shortForm() + " don't carry over."),
                new NextStep.Advice("Deploy " + tag + " by tag, or by its new digest " + newDigest + "; anything"
                        + " pinned to " + imageDigest.shortForm() + " still runs the same content under the other"
                        + " releases' digest."),
                NextStep.UNIQUE_BUILDS);
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("newDigest", newDigest.value());
        details.put("whatChanged", whatChanged);
        details.put("otherProductionTags", otherProductionTags.stream().map(Tag::value).toList());
        details.put("scansAndSignaturesStayOn", imageDigest.value());
        details.put("severity", severity().name());
        return details;
    }
}
