package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyException;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyParser;
import dev.ecrdigestguard.lifecycle.Release;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.log.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guard's judgement of one push, shared by the Lambda handler and the {@code check} command: is the tag a
 * production release, does its digest carry other releases, and — re-judging the whole repository, since one push
 * can push other releases out — which releases does the lifecycle policy now take out of turn.
 *
 * <p>It reads the registry only through {@link ImageCatalog} and records the release in the {@link ReleaseLedger};
 * a push of a non-production tag makes no call at all. A production push costs one {@code DescribeImages} for the
 * image, one {@code GetLifecyclePolicy}, one {@code DescribeImages} page walk, one ledger read and one ledger write.
 */
public final class PushGuard {

    private final ProductionTags productionTags;
    private final ImageCatalog catalog;
    private final ReleaseLedger ledger;
    private final SharedDigestDetector sharedDigests;

    /** Without a ledger: release times other than this push's are not known. */
    public PushGuard(ProductionTags productionTags, ImageCatalog catalog) {
        this(productionTags, catalog, ReleaseLedger.none());
    }

    public PushGuard(ProductionTags productionTags, ImageCatalog catalog, ReleaseLedger ledger) {
        this.productionTags = productionTags;
        this.catalog = catalog;
        this.ledger = ledger;
        this.sharedDigests = new SharedDigestDetector(productionTags);
    }

    public boolean isProductionPush(PushEvent event) {
        return productionTags.isProduction(event.tag());
    }

    public GuardReport inspect(PushEvent event) {
        return inspect(event, Instant.MAX);
    }

    /**
     * @param deadline when reading the repository for the lifecycle judgement must stop, so that what is already known
     *                 (a shared digest) can still be sent; what was not judged is said in the report's notes
     */
    public GuardReport inspect(PushEvent event, Instant deadline) {
        if (!isProductionPush(event)) {
            return new GuardReport(event, List.of(), "tag " + event.tag() + " is not a production tag ("
                    + productionTags + "); nothing to check");
        }
        Optional<ImageRecord> found = catalog.describeImage(event.repository(), event.digest());
        if (found.isEmpty()) {
            return new GuardReport(event, List.of(), "image " + event.digest() + " is no longer in "
                    + event.repository() + "; nothing to check");
        }
        ImageRecord image = found.get();
        if (!image.tags().contains(event.tag())) {
            // The tag moved on before we looked (a later push, or our own re-tag): the event is stale.
            return new GuardReport(event, List.of(), "tag " + event.tag() + " no longer points at "
                    + event.digest().shortForm() + "; nothing to check");
        }
        RepositoryLocation location = new RepositoryLocation(event.account(), event.region(), event.repository());
        // Recorded first: when the release happened is what later judgements rest on; a retry records nothing new.
        ledger.recordPush(location, event.tag(), image.digest(), event.time());
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        sharedDigests.detect(event.repository(), event.tag(), image, event.time()).ifPresent(findings::add);
        findings.addAll(lifecycleFindings(event, location, image, deadline, notes));
        String summary = findings.isEmpty()
                ? "production tag " + event.tag() + " has a digest of its own"
                : "production tag " + event.tag() + ": " + findings.size() + " finding(s)";
        return new GuardReport(event, findings, summary, notes);
    }

    /**
     * What the repository's lifecycle policy now does to every release: a CRITICAL finding for each release expiring
     * out of turn (the pushed one or any other), and for the pushed release a warning when a count rule ranks it
     * behind releases that came before it. None without a policy. Reads every image of the repository because count
     * rules rank the whole repository.
     */
    private List<Finding> lifecycleFindings(PushEvent event, RepositoryLocation location, ImageRecord pushed,
            Instant deadline, List<String> notes) {
        Optional<String> policyText = catalog.lifecyclePolicyText(event.repository());
        if (policyText.isEmpty()) {
            return List.of();
        }
        LifecyclePolicy policy;
        try {
            policy = LifecyclePolicyParser.parse(policyText.get());
        } catch (LifecyclePolicyException e) {
            // ECR accepted this policy, so our reading of ECR's rules is stricter than ECR: report, don't fail the push.
            Log.warn("lifecycle policy not understood; no lifecycle findings", "reason", e.getMessage());
            notes.add("the lifecycle policy of " + event.repository() + " was not evaluated: " + e.getMessage());
            return List.of();
        }
        List<ImageRecord> images = new ArrayList<>();
        try {
            catalog.forEachImage(event.repository(), deadline, image -> {
                if (!image.digest().equals(pushed.digest())) {
                    images.add(image);
                }
            });
        } catch (DeadlinePassedException e) {
            String note = "the lifecycle policy was not evaluated: reading the repository's images (" + images.size()
                    + " so far) did not finish in the time the function has; run `audit` on " + event.repository();
            Log.warn(note);
            notes.add(note);
            return List.of();
        } catch (CatalogException e) {
            if (e.retryable()) {
                throw e;
            }
            // A listing no retry can fix (a token that repeats, data that can't be ECR's): send what is known.
            String note = "the lifecycle policy was not evaluated: " + e.getMessage();
            Log.error(note, e);
            notes.add(note);
            return List.of();
        }
        // The image as described for this push, with the pushed tag: a listing taken before the push reads the same.
        images.add(pushed);
        Map<Tag, Release> recorded = LifecycleFindings.recorded(ledger.releases(location), images);
        recorded.merge(event.tag(), new Release(event.tag(), event.time(), Release.Source.PUSH_EVENT),
                (known, now) -> known.firstSeen().isAfter(now.firstSeen()) ? now : known);
        RepositoryAudit audit = RepositoryAudit.of(event.repository(), policy, images, Optional.of(productionTags),
                recorded, event.time(), Duration.ZERO);
        List<Finding> findings = new ArrayList<>();
        for (ReleaseStanding standing : audit.outOfTurn()) {
            findings.add(LifecycleFindings.expiry(event.repository(), standing, event.time()));
        }
        audit.standings().stream()
                .filter(standing -> standing.image().digest().equals(pushed.digest()))
                .findFirst()
                .flatMap(standing -> LifecycleFindings.outranked(event.repository(), event.tag(), standing))
                .ifPresent(findings::add);
        return findings;
    }
}
