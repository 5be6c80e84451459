package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A release the guard found expiring out of turn and alerted about, as the {@link RiskRegister} keeps it: one per
 * image and rule, so the sweep alerts once, reminds a day later, says when the risk is gone, and the post-mortem can
 * name the rule when the release is deleted.
 *
 * @param productionTags the production tags on the image when last judged, newest release first
 * @param outcome        what the rule does to the image: delete it or move it to archive
 * @param dueAt          when the rule acts
 * @param firstFoundAt   when it was first found at risk
 * @param lastAlertedAt  when people were last told
 */
public record RiskRecord(
        Digest digest,
        int rulePriority,
        List<Tag> productionTags,
        Optional<String> ruleDescription,
        LifecycleExpiryFinding.Outcome outcome,
        Instant dueAt,
        Instant firstFoundAt,
        Instant lastAlertedAt) {

    public RiskRecord {
        Objects.requireNonNull(digest, "digest");
        productionTags = List.copyOf(productionTags);
        if (productionTags.isEmpty()) {
            throw new IllegalArgumentException("a release at risk has at least one production tag");
        }
        Objects.requireNonNull(ruleDescription, "ruleDescription");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(firstFoundAt, "firstFoundAt");
        Objects.requireNonNull(lastAlertedAt, "lastAlertedAt");
    }

    /** The record of an expiry finding just alerted about. */
    public static RiskRecord of(LifecycleExpiryFinding finding, Instant alertedAt) {
        return new RiskRecord(finding.imageDigest(), finding.rulePriority(), finding.productionTags(),
                finding.ruleDescription(), finding.outcome(), finding.dueAt(), alertedAt, alertedAt);
    }

    /** What identifies it in the register: the image and the rule. */
    public String key() {
        return digest.value() + "#" + rulePriority;
    }

    /** The newest release on the image: the one a person misses first. */
    public Tag newestRelease() {
        return productionTags.get(0);
    }

    /** The same risk, told again at {@code at}, with what the latest judgement says of it. */
    public RiskRecord alertedAgain(RiskRecord latest, Instant at) {
        return new RiskRecord(digest, rulePriority, latest.productionTags, latest.ruleDescription, latest.outcome,
                latest.dueAt, firstFoundAt, at);
    }
}
