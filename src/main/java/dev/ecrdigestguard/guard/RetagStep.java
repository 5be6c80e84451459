package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.RetagRefusedFinding;
import dev.ecrdigestguard.finding.RetaggedFinding;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.retag.RetagOutcome;
import dev.ecrdigestguard.retag.Retagger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * MODE=RETAG: every release a report says is at risk gets a digest of its own, and its finding is replaced by what
 * happened — a {@link RetaggedFinding}, a {@link RetagRefusedFinding}, or nothing when a fresh look shows there is
 * nothing to do (the tag moved on, or already is our rewrite). Two findings call for it: a pushed tag sharing its
 * digest ({@link SharedDigestFinding}), and a release the lifecycle policy takes out of turn
 * ({@link LifecycleExpiryFinding}, rescued even when no other release shares its digest, so it ranks as new). After a
 * re-tag, lifecycle findings about that tag on its old digest are dropped: they describe an image the release no
 * longer uses.
 *
 * <p>A registry failure a retry can fix propagates, so Lambda retries the event (the tag has not moved: the rewrite
 * is deterministic and the retry finishes the job). One a retry can't fix becomes a refusal, so people hear about it.
 */
public final class RetagStep {

    private final Retagger retagger;

    public RetagStep(Retagger retagger) {
        this.retagger = retagger;
    }

    public GuardReport apply(GuardReport report) {
        List<String> done = new ArrayList<>();
        List<Finding> findings = apply(report.findings(), done);
        String summary = done.isEmpty() ? report.summary() + "; re-tag not needed"
                : report.summary() + "; re-tag: " + String.join(", ", done);
        return new GuardReport(report.event(), findings, summary, report.notes());
    }

    /** The findings with every release at risk re-tagged; {@code done} gets one word per re-tag attempted. */
    public List<Finding> apply(List<Finding> at, List<String> done) {
        List<Finding> findings = new ArrayList<>();
        Set<Tag> handled = new HashSet<>();
        for (Finding finding : at) {
            if (finding instanceof SharedDigestFinding shared && handled.add(shared.tag())) {
                record(retag(shared), findings, done);
            } else if (!(finding instanceof SharedDigestFinding)) {
                findings.add(finding);
            }
        }
        List<Finding> rescued = new ArrayList<>();
        for (Finding finding : findings) {
            if (finding instanceof LifecycleExpiryFinding expiry && handled.add(expiry.tag())) {
                record(rescue(expiry), rescued, done);
            }
        }
        findings.addAll(rescued);
        dropWhatTheRetagMadeObsolete(findings);
        return findings;
    }

    private static void record(Optional<Finding> result, List<Finding> into, List<String> done) {
        result.ifPresent(finding -> {
            into.add(finding);
            done.add(finding.kind().name().toLowerCase(Locale.ROOT));
        });
    }

    /**
     * Lifecycle findings about a re-tagged tag on its old digest: the tag now has an image of its own, pushed now, so
     * what the policy would do to the old digest no longer happens to this release.
     */
    private static void dropWhatTheRetagMadeObsolete(List<Finding> findings) {
        List<RetaggedFinding> retagged = findings.stream()
                .filter(RetaggedFinding.class::isInstance).map(RetaggedFinding.class::cast).toList();
        findings.removeIf(finding -> (finding.kind() == Finding.Kind.LIFECYCLE_EXPIRY
                || finding.kind() == Finding.Kind.LIFECYCLE_OUTRANKED)
                && retagged.stream().anyMatch(r -> r.tag().equals(finding.tag())
                        && r.imageDigest().equals(finding.imageDigest())));
    }

    private Optional<Finding> retag(SharedDigestFinding shared) {
        return outcome(shared.repository(), shared.tag(), shared.imageDigest(), shared.otherProductionTags(),
                () -> retagger.retag(shared.repository(), shared.tag(), Optional.of(shared.imageDigest()), false));
    }

    private Optional<Finding> rescue(LifecycleExpiryFinding expiry) {
        List<Tag> others = expiry.productionTags().stream().filter(tag -> !tag.equals(expiry.tag())).toList();
        return outcome(expiry.repository(), expiry.tag(), expiry.imageDigest(), others,
                () -> retagger.rescue(expiry.repository(), expiry.tag(), expiry.imageDigest()));
    }

    private Optional<Finding> outcome(RepositoryName repository, Tag tag, Digest digest, List<Tag> others,
                                      Supplier<RetagOutcome> attempt) {
        RetagOutcome outcome;
        try {
            outcome = attempt.get();
        } catch (RegistryException e) {
            if (e.retryable()) {
                throw e;
            }
            return Optional.of(new RetagRefusedFinding(repository, tag, digest, others,
                    "re-tagging failed and retrying can't help: " + e.getMessage()));
        }
        if (outcome instanceof RetagOutcome.Retagged retagged) {
            Log.info("re-tagged", "tag", tag.value(), "fromDigest", retagged.fromDigest().value(), "toDigest",
                    retagged.toDigest().value());
            return Optional.of(new RetaggedFinding(repository, tag, retagged.fromDigest(), retagged.toDigest(),
                    retagged.whatChanged(), retagged.sharedWith()));
        }
        if (outcome instanceof RetagOutcome.Refused refused) {
            Log.warn("re-tag refused: " + refused.reason(), "tag", tag.value());
            return Optional.of(new RetagRefusedFinding(repository, tag, refused.digestBefore().orElse(digest),
                    refused.sharedWith().isEmpty() ? others : refused.sharedWith(), refused.reason()));
        }
        Log.info("re-tag not needed: " + ((RetagOutcome.NothingToDo) outcome).reason(), "tag", tag.value());
        return Optional.empty();
    }
}
