package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.RetagRefusedFinding;
import dev.ecrdigestguard.finding.RetaggedFinding;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.retag.RetagOutcome;
import dev.ecrdigestguard.retag.Retagger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * MODE=RETAG: every shared-digest finding of a report is re-tagged, and replaced by what happened — a
 * {@link RetaggedFinding}, a {@link RetagRefusedFinding}, or nothing when a fresh look shows there is nothing to do
 * (the tag moved on, or already is our rewrite). After a re-tag, lifecycle findings about that tag on its old digest
 * are dropped: they describe an image the release no longer uses.
 *
 * <p>A registry failure a retry can fix propagates, so Lambda retries the event (the tag has not moved: the rewrite
 * is deterministic and the retry finishes the job). One a retry can't fix becomes a refusal, so people hear about it.
 */
public final class SharedDigestRetag {

    private final Retagger retagger;

    public SharedDigestRetag(Retagger retagger) {
        this.retagger = retagger;
    }

    public GuardReport apply(GuardReport report) {
        List<Finding> findings = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (Finding finding : report.findings()) {
            if (finding instanceof SharedDigestFinding shared) {
                retag(shared).ifPresent(result -> {
                    findings.add(result);
                    done.add(result.kind().name().toLowerCase(Locale.ROOT));
                });
            } else {
                findings.add(finding);
            }
        }
        dropWhatTheRetagMadeObsolete(findings);
        String summary = done.isEmpty() ? report.summary() + "; re-tag not needed"
                : report.summary() + "; re-tag: " + String.join(", ", done);
        return new GuardReport(report.event(), findings, summary);
    }

    /**
     * Lifecycle findings about the re-tagged tag on its old digest: the tag now has an image of its own, pushed now,
     * so what the policy would do to the old digest no longer happens to this release.
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
        RetagOutcome outcome;
        try {
            outcome = retagger.retag(shared.repository(), shared.tag(), Optional.of(shared.imageDigest()), false);
        } catch (RegistryException e) {
            if (e.retryable()) {
                throw e;
            }
            return Optional.of(new RetagRefusedFinding(shared.repository(), shared.tag(), shared.imageDigest(),
                    shared.otherProductionTags(), "re-tagging failed and retrying can't help: " + e.getMessage()));
        }
        if (outcome instanceof RetagOutcome.Retagged retagged) {
            Log.info("re-tagged", "fromDigest", retagged.fromDigest().value(), "toDigest",
                    retagged.toDigest().value());
            return Optional.of(new RetaggedFinding(shared.repository(), shared.tag(), retagged.fromDigest(),
                    retagged.toDigest(), retagged.whatChanged(), retagged.sharedWith()));
        }
        if (outcome instanceof RetagOutcome.Refused refused) {
            Log.warn("re-tag refused: " + refused.reason());
            return Optional.of(new RetagRefusedFinding(shared.repository(), shared.tag(),
                    refused.digestBefore().orElse(shared.imageDigest()),
                    refused.sharedWith().isEmpty() ? shared.otherProductionTags() : refused.sharedWith(),
                    refused.reason()));
        }
        Log.info("re-tag not needed: " + ((RetagOutcome.NothingToDo) outcome).reason());
        return Optional.empty();
    }
}
