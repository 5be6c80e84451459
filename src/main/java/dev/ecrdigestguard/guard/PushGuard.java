package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyException;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyParser;
import dev.ecrdigestguard.lifecycle.ReleaseSurvival;
import dev.ecrdigestguard.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guard's decision path for one push, shared by the Lambda handler and the {@code check} command: is the tag a
 * production release, does its digest carry other releases, and what will the lifecycle policy do to it.
 *
 * <p>It reads the registry only through {@link ImageCatalog}; a push of a non-production tag makes no call at all.
 */
public final class PushGuard {

    private final ProductionTags productionTags;
    private final ImageCatalog catalog;
    private final SharedDigestDetector sharedDigests;

    public PushGuard(ProductionTags productionTags, ImageCatalog catalog) {
        this.productionTags = productionTags;
        this.catalog = catalog;
        this.sharedDigests = new SharedDigestDetector(productionTags);
    }

    public boolean isProductionPush(PushEvent event) {
        return productionTags.isProduction(event.tag());
    }

    public GuardReport inspect(PushEvent event) {
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
        List<Finding> findings = new ArrayList<>();
        sharedDigests.detect(event.repository(), event.tag(), image, event.time()).ifPresent(findings::add);
        findings.addAll(lifecycleFindings(event, image));
        String summary = findings.isEmpty()
                ? "production tag " + event.tag() + " has a digest of its own"
                : "production tag " + event.tag() + ": " + findings.size() + " finding(s)";
        return new GuardReport(event, findings, summary);
    }

    /**
     * What the repository's lifecycle policy does to the release, as of the push: none without a policy. Reads every
     * image of the repository (every page of {@code DescribeImages}) because count rules rank the whole repository.
     */
    private List<Finding> lifecycleFindings(PushEvent event, ImageRecord image) {
        Optional<String> policyText = catalog.lifecyclePolicyText(event.repository());
        if (policyText.isEmpty()) {
            return List.of();
        }
        LifecyclePolicy policy;
        try {
            policy = LifecyclePolicyParser.parse(policyText.get());
        } catch (LifecyclePolicyException e) {
            // ECR accepted this policy, so our reading of ECR's rules is stricter than ECR: report, don't fail the push.
            Log.warn("lifecycle policy not understood; no lifecycle findings", "repository",
                    event.repository().value(), "reason", e.getMessage());
            return List.of();
        }
        List<ImageRecord> images = new ArrayList<>();
        catalog.forEachImage(event.repository(), images::add);
        return ReleaseSurvival.assess(policy, images,
                new ReleaseSurvival.Push(event.repository(), event.tag(), image, event.time()), productionTags,
                event.time());
    }
}
