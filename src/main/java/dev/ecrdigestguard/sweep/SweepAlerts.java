package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.ReleaseDeletedFinding;
import dev.ecrdigestguard.finding.RetaggedFinding;
import dev.ecrdigestguard.finding.RiskResolvedFinding;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.guard.RiskRecord;
import dev.ecrdigestguard.guard.RiskRegister;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.metrics.GuardMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the sweep tells people about one repository, without storms: a release expiring out of turn is alerted once
 * when first found, again only if it is still at risk a day later, and closed with a {@code RESOLVED} notice when it
 * no longer is — or with a {@code RELEASE_DELETED} post-mortem when it is gone. A re-tag (MODE=RETAG) is always told.
 * The {@link RiskRegister} remembers what was said; each change there is conditional, and only the invocation whose
 * change went through sends, so two invocations judging the same repository never both alert. An alert no channel
 * took puts the register back as it was, so the next sweep tries again.
 */
final class SweepAlerts {

    /** How long a release stays at risk before people are reminded. */
    static final Duration REMINDER = Duration.ofHours(24);

    private final AlertFanOut alerts;
    private final RiskRegister risks;
    private final RepositoryPatterns silenced;
    private final GuardMetrics metrics;
    private final String sweepId;
    private final AccountRegion registry;

    SweepAlerts(AlertFanOut alerts, RiskRegister risks, RepositoryPatterns silenced, GuardMetrics metrics,
                String sweepId, AccountRegion registry) {
        this.alerts = Objects.requireNonNull(alerts);
        this.risks = Objects.requireNonNull(risks);
        this.silenced = Objects.requireNonNull(silenced);
        this.metrics = Objects.requireNonNull(metrics);
        this.sweepId = Objects.requireNonNull(sweepId);
        this.registry = Objects.requireNonNull(registry);
    }

    /**
     * What became of a release recorded at risk that the judgement no longer finds at risk: resolved (and why), or
     * lost (deleted, archived). Worked out where the repository's images are at hand, so they needn't be kept.
     */
    sealed interface Fate {
        record Resolved(String why) implements Fate { }

        record Lost(ReleaseDeletedFinding.Outcome outcome) implements Fate { }
    }

    /** The findings about one image and rule, and the record they would leave. */
    private record AtRisk(RiskRecord record, List<Finding> findings) {
    }

    /** The fate of each record (by key) that the judgement's findings no longer have at risk. */
    static Map<String, Fate> fates(List<RiskRecord> records, List<Finding> findings, RepositoryAudit audit,
                                   List<ImageRecord> images) {
        Map<String, AtRisk> stillAtRisk = atRisk(findings, Instant.EPOCH);
        Map<String, Fate> fates = new LinkedHashMap<>();
        Map<Tag, Digest> holder = new HashMap<>();
        Map<Digest, ImageRecord> byDigest = new HashMap<>();
        for (ImageRecord image : images) {
            byDigest.put(image.digest(), image);
            image.tags().forEach(tag -> holder.put(tag, image.digest()));
        }
        for (RiskRecord record : records) {
            if (stillAtRisk.containsKey(record.key())) {
                continue;
            }
            ImageRecord image = byDigest.get(record.digest());
            List<Tag> stayed = record.productionTags().stream()
                    .filter(tag -> record.digest().equals(holder.get(tag))).toList();
            List<Tag> moved = record.productionTags().stream()
                    .filter(tag -> holder.containsKey(tag) && !record.digest().equals(holder.get(tag))).toList();
            Fate fate;
            if (image != null && image.storageClass() == ImageRecord.StorageClass.ARCHIVE) {
                fate = new Fate.Lost(ReleaseDeletedFinding.Outcome.ARCHIVED);
            } else if (!stayed.isEmpty()) {
                fate = new Fate.Resolved(stillThere(record, audit));
            } else if (!moved.isEmpty()) {
                fate = new Fate.Resolved(moved.get(0) + " now has a digest of its own (re-tagged), so it ranks as new");
            } else if (image == null) {
                fate = new Fate.Lost(ReleaseDeletedFinding.Outcome.DELETED);
            } else {
                fate = new Fate.Resolved("its release tags were removed from the image");
            }
            fates.put(record.key(), fate);
        }
        return fates;
    }

    private static String stillThere(RiskRecord record, RepositoryAudit audit) {
        if (audit.policy().status() == RepositoryAudit.PolicyVerdict.Status.NONE) {
            return "the repository has no lifecycle policy any more";
        }
        Optional<ReleaseStanding> standing = audit.standings().stream()
                .filter(s -> s.image().digest().equals(record.digest())).findFirst();
        if (standing.isPresent() && standing.get().verdict() == ReleaseStanding.Verdict.ROTATION) {
            return "newer releases made it the rule's ordinary rotation";
        }
        return "the lifecycle policy keeps it now (the policy or the releases around it changed)";
    }

    /**
     * Tells what one repository's judgement calls for.
     *
     * @param records what the register held for the repository when it was judged
     * @param fates   what became of the records no longer at risk ({@link #fates})
     * @return the releases still at risk (rescued ones are not)
     */
    int tell(RepositoryLocation location, RepositoryAudit audit, List<Finding> findings, List<RiskRecord> records,
             Map<String, Fate> fates, Instant now, Instant deadline) {
        Map<String, AtRisk> atRisk = atRisk(findings, now);
        boolean quiet = silenced.matches(location.name().value());
        if (quiet && (!atRisk.isEmpty() || !fates.isEmpty())) {
            metrics.silenced();
            Log.info("repository is silenced; releases at risk counted, not alerted", "releasesAtRisk",
                    atRisk.size());
        }
        if (quiet) {
            return atRisk.size();
        }
        Map<String, RiskRecord> held = new HashMap<>();
        records.forEach(record -> held.put(record.key(), record));
        for (Finding finding : findings) {
            if (finding instanceof RetaggedFinding retagged) {
                send(report(location, retagged.imageDigest(), retagged.tag(), List.of(retagged), now), deadline);
                records.stream().filter(record -> record.digest().equals(retagged.imageDigest()))
                        .forEach(record -> risks.forget(location, record));
            }
        }
        for (Map.Entry<String, AtRisk> entry : atRisk.entrySet()) {
            AtRisk found = entry.getValue();
            RiskRecord before = held.get(entry.getKey());
            GuardReport report = report(location, found.record().digest(), found.record().newestRelease(),
                    found.findings(), now);
            if (before == null) {
                if (risks.claim(location, Optional.empty(), found.record()) && !send(report, deadline)) {
                    risks.forget(location, found.record());
                }
            } else if (!before.lastAlertedAt().plus(REMINDER).isAfter(now)) {
                RiskRecord reminded = before.alertedAgain(found.record(), now);
                if (risks.claim(location, Optional.of(before), reminded) && !send(report, deadline)) {
                    risks.claim(location, Optional.of(reminded), before);
                }
            }
        }
        if (audit.policy().status() != RepositoryAudit.PolicyVerdict.Status.REJECTED) {
            for (RiskRecord record : records) {
                Fate fate = fates.get(record.key());
                if (fate != null && risks.forget(location, record)
                        && !send(report(location, record.digest(), record.newestRelease(),
                                List.of(closing(location, record, fate, now)), now), deadline)) {
                    risks.claim(location, Optional.empty(), record);
                }
            }
        }
        return atRisk.size();
    }

    /** The expiry findings grouped by image and rule, each with the refusals of re-tags that tried to save it. */
    private static Map<String, AtRisk> atRisk(List<Finding> findings, Instant now) {
        Map<String, AtRisk> grouped = new LinkedHashMap<>();
        for (Finding finding : findings) {
            if (finding instanceof LifecycleExpiryFinding expiry) {
                RiskRecord record = RiskRecord.of(expiry, now);
                List<Finding> about = new ArrayList<>(List.of(expiry));
                findings.stream().filter(other -> other.kind() == Finding.Kind.RETAG_REFUSED
                        && other.tag().equals(expiry.tag())).forEach(about::add);
                grouped.putIfAbsent(record.key(), new AtRisk(record, about));
            }
        }
        return grouped;
    }

    private static Finding closing(RepositoryLocation location, RiskRecord record, Fate fate, Instant now) {
        if (fate instanceof Fate.Lost lost) {
            return new ReleaseDeletedFinding(location.name(), record.newestRelease(), record.productionTags(),
                    record.digest(), lost.outcome(), record.rulePriority(), record.ruleDescription(),
                    record.firstFoundAt(), record.dueAt(), now, ReleaseDeletedFinding.SeenBy.SWEEP);
        }
        return new RiskResolvedFinding(location.name(), record.newestRelease(), record.productionTags(),
                record.digest(), record.rulePriority(), record.firstFoundAt(), now, ((Fate.Resolved) fate).why());
    }

    private GuardReport report(RepositoryLocation location, Digest digest, Tag tag, List<Finding> findings,
                               Instant now) {
        PushEvent seen = PushEvent.seenBySweep(sweepId, now, registry, location.name(), digest, tag);
        return new GuardReport(seen, findings, findings.get(0).title());
    }

    /** Sends one report; false (counted, logged) when no channel took it. */
    private boolean send(GuardReport report, Instant deadline) {
        AlertFanOut.Delivery delivery = alerts.send(report, deadline);
        delivery.delivered().forEach(metrics::alertSent);
        delivery.failed().forEach(channel -> metrics.alertFailed(channel, delivery.rejected(channel)));
        for (Finding finding : report.findings()) {
            metrics.finding(finding.kind());
            Log.warn(finding.title(), "findingKind", finding.kind().name(), "severity", finding.severity().name(),
                    "repository", finding.repository().value(), "tag", finding.tag().value());
        }
        if (delivery.delivered().isEmpty()) {
            metrics.alertUndelivered();
            Log.error("no channel got the sweep's alert; the next sweep tries again", null, "failedChannels",
                    String.join(",", delivery.failed()));
            return false;
        }
        return true;
    }
}
