package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The new release is ranked by its digest's first push, so production images pushed after that but released before
 * this tag count as newer than the release, and an {@code imageCountMoreThan} rule will delete it sooner than its
 * position among releases suggests.
 *
 * @param rank                 the image's rank in the rule, 1 being the newest
 * @param outrankedBy          production images the rule ranks above it although they were released before it
 * @param countToKeepReleases  the {@code countNumber} that would keep the last {@code countNumber} releases (this
 *                             one included), given the digests they share and the other images the rule selects
 */
public record LifecycleOutrankedFinding(
        RepositoryName repository,
        Tag tag,
        Digest imageDigest,
        int rulePriority,
        Optional<String> ruleDescription,
        int countNumber,
        int rank,
        int outrankedBy,
        int countToKeepReleases,
        Instant imageRankedAt) implements Finding {

    public LifecycleOutrankedFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(ruleDescription);
        Objects.requireNonNull(imageRankedAt);
        if (outrankedBy < 1) {
            throw new IllegalArgumentException("an outranked release needs at least one image outranking it");
        }
    }

    /** How many more newer images the rule takes before it deletes this one; negative once it is past the count. */
    public int headroom() {
        return countNumber - rank;
    }

    /** Whether a higher {@code countNumber} would keep more of the last releases than the rule's count does now. */
    public boolean raisingTheCountHelps() {
        return countToKeepReleases > countNumber;
    }

    @Override
    public Kind kind() {
        return Kind.LIFECYCLE_OUTRANKED;
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    /**
     * What a person reads in the alert, e.g. "tag-1-256-0 ranks 4th of the images kept by rule 1 'Keep last 5
     * production images' because its digest was first pushed on 2022-12-01 10:00 UTC: 3 production images pushed
     * since outrank the new release; headroom 1: the 2nd newer image from now deletes it; countNumber 7 would keep the
     * last 5 releases". The last clause is left out when the rule's count already keeps them.
     */
    public String sentence() {
        String rule = LifecycleWording.rule(rulePriority, ruleDescription);
        String images = outrankedBy == 1 ? "1 production image" : outrankedBy + " production images";
        String headroomText = headroom() < 0
                ? "it is past the count and will be deleted within 24 hours"
                : headroom() == 0
                        ? "headroom 0: the next newer image deletes it"
                        : "headroom " + headroom() + ": the " + Wording.ordinal(headroom() + 1)
                                + " newer image from now deletes it";
        return tag + " ranks " + Wording.ordinal(rank) + " of the images kept by " + rule
                + " because its digest was first pushed on " + LifecycleWording.when(imageRankedAt) + ": " + images
                + " pushed since outrank" + (outrankedBy == 1 ? "s" : "") + " the new release; " + headroomText
                + (raisingTheCountHelps() ? "; countNumber " + countToKeepReleases + " would keep the last "
                        + countNumber + " releases" : "");
    }

    @Override
    public String title() {
        return tag + " in " + repository + " ranks " + Wording.ordinal(rank) + " in lifecycle rule " + rulePriority
                + ", behind " + outrankedBy + " production image" + (outrankedBy == 1 ? "" : "s")
                + " pushed after its digest";
    }

    @Override
    public String explanation() {
        return sentence() + ". ECR ranks images by the time their digest was first pushed, so the new release"
                + " counts as older than every production image pushed since, and the rule will delete it before"
                + " releases that came before it.";
    }

    @Override
    public List<NextStep> nextSteps() {
        if (!raisingTheCountHelps()) {
            return List.of(new NextStep.Retag(repository, tag));
        }
        return List.of(new NextStep.Retag(repository, tag),
                new NextStep.RaiseCount(rulePriority, ruleDescription, countToKeepReleases,
                        Optional.of("keeps the last " + countNumber + " releases with the digests they share today")));
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("rulePriority", rulePriority);
        ruleDescription.ifPresent(description -> details.put("ruleDescription", description));
        details.put("countNumber", countNumber);
        details.put("rank", rank);
        details.put("headroom", headroom());
        details.put("outrankedBy", outrankedBy);
        details.put("countToKeepReleases", countToKeepReleases);
        details.put("imagePushedAt", imageRankedAt.toString());
        details.put("severity", severity().name());
        return details;
    }
}
