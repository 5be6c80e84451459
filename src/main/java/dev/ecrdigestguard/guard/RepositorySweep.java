package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.retag.Retagger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduled sweep's judgement of one repository: every release the lifecycle policy takes out of turn now or
 * within the horizon (age rules move with time, so a day's look-ahead warns before ECR acts) becomes a CRITICAL
 * finding, and in MODE=RETAG each of them is rescued with a digest of its own. The same judgement as the push path
 * and {@code audit} ({@link RepositoryAudit}); what the sweep adds around it — which repositories, how often, and
 * which alerts were already sent — lives with the function.
 */
public final class RepositorySweep {

    private final ProductionTags productionTags;
    private final ImageCatalog catalog;
    private final ReleaseLedger ledger;
    private final Optional<RetagStep> retag;

    public RepositorySweep(ProductionTags productionTags, ImageCatalog catalog, ReleaseLedger ledger,
                           Optional<Retagger> retagger) {
        this.productionTags = Objects.requireNonNull(productionTags);
        this.catalog = Objects.requireNonNull(catalog);
        this.ledger = Objects.requireNonNull(ledger);
        this.retag = retagger.map(RetagStep::new);
    }

    /**
     * What the sweep found in one repository.
     *
     * @param audit    the judgement of every release (empty when the repository could not be read in time)
     * @param findings the releases at risk, or what re-tagging did about them
     * @param notes    what could not be judged and why
     */
    public record Result(RepositoryLocation repository, Optional<RepositoryAudit> audit, List<Finding> findings,
                         List<String> notes) {

        public Result {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(audit);
            findings = List.copyOf(findings);
            notes = List.copyOf(notes);
        }
    }

    /**
     * @param deadline when reading the repository must stop; the repository is then reported as not judged
     */
    public Result sweep(RepositoryLocation repository, Instant now, Duration horizon, Instant deadline) {
        Optional<String> policy = catalog.lifecyclePolicyText(repository.name());
        if (policy.isEmpty()) {
            return judge(repository, new RepositoryContents(repository.name(), List.of(), policy), now, horizon);
        }
        List<ImageRecord> images = new ArrayList<>();
        try {
            catalog.forEachImage(repository.name(), deadline, images::add);
        } catch (DeadlinePassedException e) {
            String note = repository + " was not judged: reading its images (" + images.size()
                    + " so far) did not finish in time";
            Log.warn(note);
            return new Result(repository, Optional.empty(), List.of(), List.of(note));
        }
        return judge(repository, new RepositoryContents(repository.name(), images, policy), now, horizon);
    }

    /**
     * The judgement of a repository already read ({@link RepositoryScan} reads many at a time and hands each one
     * here): every release out of turn now or within the horizon, rescued in MODE=RETAG.
     */
    public Result judge(RepositoryLocation repository, RepositoryContents contents, Instant now, Duration horizon) {
        if (contents.lifecyclePolicy().isEmpty()) {
            // Without a policy ECR expires nothing: judged, and nothing at risk, without reading the ledger.
            return new Result(repository, Optional.of(new RepositoryAudit(repository.name(),
                    new RepositoryAudit.PolicyVerdict(RepositoryAudit.PolicyVerdict.Status.NONE,
                            "no lifecycle policy: ECR expires nothing"), contents.images().size(), List.of(), now,
                    horizon)), List.of(), List.of());
        }
        List<ImageRecord> images = contents.images();
        RepositoryAudit audit = RepositoryAudit.of(repository.name(), contents.lifecyclePolicy(), images,
                Optional.of(productionTags), LifecycleFindings.recorded(ledger.releases(repository), images), now,
                horizon);
        List<String> notes = new ArrayList<>();
        if (audit.policy().status() == RepositoryAudit.PolicyVerdict.Status.REJECTED) {
            notes.add("the lifecycle policy of " + repository + " was not evaluated: " + audit.policy().detail());
        }
        List<Finding> findings = new ArrayList<>();
        for (ReleaseStanding standing : audit.outOfTurn()) {
            findings.add(LifecycleFindings.expiry(repository.name(), standing, now));
        }
        if (retag.isPresent() && !findings.isEmpty()) {
            findings = retag.get().apply(findings, new ArrayList<>());
        }
        return new Result(repository, Optional.of(audit), findings, notes);
    }
}
