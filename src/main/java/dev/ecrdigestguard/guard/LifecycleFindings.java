package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.LifecycleOutrankedFinding;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleRule;
import dev.ecrdigestguard.lifecycle.Release;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns what the lifecycle judgement says about releases into the findings people read: a release expiring out of
 * turn is a {@link LifecycleExpiryFinding}, a pushed release ranked behind older releases a
 * {@link LifecycleOutrankedFinding}. The push path, the sweep and {@code audit} all build them here, so the three
 * speak the same way about the same release.
 */
public final class LifecycleFindings {

    private LifecycleFindings() {
    }

    /** The CRITICAL finding for a release the policy takes out of turn, judged at {@code judgedAt}. */
    public static LifecycleExpiryFinding expiry(RepositoryName repository, ReleaseStanding standing,
            Instant judgedAt) {
        if (standing.verdict() != ReleaseStanding.Verdict.OUT_OF_TURN) {
            throw new IllegalArgumentException("only a release expiring out of turn is a finding, not "
                    + standing.verdict());
        }
        ImageDecision decision = standing.actual();
        LifecycleRule rule = decision.decidingRule().orElseThrow();
        Release newest = standing.newestRelease();
        Instant dueAt = standing.dueAt().orElseThrow();
        return new LifecycleExpiryFinding(repository, newest.tag(), standing.productionTags(),
                standing.image().digest(),
                decision.action() == ImageDecision.Action.EXPIRE
                        ? LifecycleExpiryFinding.Outcome.EXPIRE : LifecycleExpiryFinding.Outcome.ARCHIVE,
                rule.rulePriority(), rule.description(), rule.countType().json(), rule.countNumber(),
                decision.standing().map(s -> OptionalInt.of(s.rank())).orElse(OptionalInt.empty()),
                standing.rankedAt(), newest.firstSeen(), newest.source().name(), dueAt, !dueAt.isAfter(judgedAt));
    }

    /** The warning for a pushed release that its count rule ranks behind releases that came before it, if it is. */
    public static Optional<LifecycleOutrankedFinding> outranked(RepositoryName repository, Tag pushed,
            ReleaseStanding standing) {
        Optional<LifecycleRule> rule = standing.actual().decidingRule().filter(LifecycleRule::isCountRule);
        if (standing.outrankedBy() == 0 || rule.isEmpty() || standing.actual().standing().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LifecycleOutrankedFinding(repository, pushed, standing.image().digest(),
                rule.get().rulePriority(), rule.get().description(), rule.get().countNumber(),
                standing.actual().standing().get().rank(), standing.outrankedBy(),
                standing.countToKeepReleases().orElseThrow(), standing.rankedAt()));
    }

    /**
     * The release times the ledger knows for the tags as they are now: an entry counts only for the digest the tag
     * still points at (a tag that moved since is a new release, recorded again when its push is seen).
     */
    public static Map<Tag, Release> recorded(List<LedgerEntry> ledger, List<ImageRecord> images) {
        Map<Tag, ImageRecord> holder = new HashMap<>();
        for (ImageRecord image : images) {
            image.tags().forEach(tag -> holder.put(tag, image));
        }
        Map<Tag, Release> recorded = new HashMap<>();
        for (LedgerEntry entry : ledger) {
            ImageRecord image = holder.get(entry.tag());
            if (image != null && image.digest().equals(entry.digest())) {
                recorded.merge(entry.tag(), new Release(entry.tag(), entry.firstSeen(), Release.Source.LEDGER),
                        (a, b) -> a.firstSeen().isBefore(b.firstSeen()) ? a : b);
            }
        }
        return recorded;
    }
}
