package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.event.DeletionEvent;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.ReleaseDeletedFinding;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The post-mortem of a deleted production tag. The guard asks only what it recorded — no call to ECR, which no longer
 * has the image: when the register says this image was expiring out of turn, the deletion is the loss the guard warned
 * about, and a CRITICAL {@code RELEASE_DELETED} alert names the rule and what to do; otherwise it is ordinary rotation
 * or someone's deliberate deletion, logged and counted, never alerted.
 *
 * <p>Whether ECR raises a {@code DELETE} event when a lifecycle rule expires an image is not documented (CloudTrail
 * records those as {@code PolicyExecutionEvent}s); the sweep finds such losses itself, so one alert comes from whichever
 * sees it first and the other finds the record gone.
 */
final class ReleaseDeletionResponse {

    private final PortsByRegistry ports;
    private final RepositoryPatterns silencedRepositories;

    ReleaseDeletionResponse(PortsByRegistry ports, RepositoryPatterns silencedRepositories) {
        this.ports = ports;
        this.silencedRepositories = silencedRepositories;
    }

    GuardResponse respond(DeletionEvent event, GuardMetrics metrics, Instant deadline) {
        RepositoryLocation location = new RepositoryLocation(event.account(), event.region(), event.repository());
        List<RiskRecord> atRisk = ports.risks().atRisk(location).stream()
                .filter(record -> record.digest().equals(event.digest()))
                .sorted(Comparator.comparing(RiskRecord::dueAt))
                .toList();
        if (atRisk.isEmpty()) {
            metrics.count(GuardMetrics.RELEASE_DELETIONS_IN_TURN, 1);
            String summary = "production tag " + event.tag() + " was deleted; the guard had not found "
                    + event.digest().shortForm() + " expiring out of turn (ordinary rotation or a deliberate deletion)";
            Log.info(summary);
            return GuardResponse.without(GuardOutcome.DELETED_IN_TURN, summary);
        }
        RiskRecord record = atRisk.get(0);
        ReleaseDeletedFinding finding = new ReleaseDeletedFinding(event.repository(), record.newestRelease(),
                record.productionTags(), event.digest(), ReleaseDeletedFinding.Outcome.DELETED,
                record.rulePriority(), record.ruleDescription(), record.firstFoundAt(), record.dueAt(), event.time(),
                ReleaseDeletedFinding.SeenBy.DELETE_EVENT);
        metrics.count(GuardMetrics.RELEASES_DELETED_OUT_OF_TURN, 1);
        metrics.finding(finding.kind());
        Log.error(finding.title(), null, "findingKind", finding.kind().name(), "rulePriority",
                record.rulePriority());
        GuardReport report = new GuardReport(PushEvent.ofDeletion(event), List.of(finding), finding.title());
        Optional<AlertFanOut.Delivery> delivery = Optional.empty();
        if (silencedRepositories.matches(event.repository().value())) {
            metrics.silenced();
            Log.info("repository is silenced; no alert", "silencedRepositories", silencedRepositories);
        } else {
            delivery = Optional.of(AlertDelivery.deliver(ports.alerts(), report, metrics, deadline));
        }
        // Told once: the sweep that would find the image gone finds no record and says nothing more.
        for (RiskRecord told : atRisk) {
            try {
                ports.risks().forget(location, told);
            } catch (ServiceFailure e) {
                Log.warn("could not clear the record of a deleted release; the sweep may alert about it again: "
                        + e.getMessage());
            }
        }
        return new GuardResponse(GuardOutcome.RELEASE_DELETED, report.summary(), Optional.of(report), delivery);
    }
}
