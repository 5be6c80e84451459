package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A release the guard had alerted about is no longer expiring out of turn: it was re-tagged, the policy changed, or
 * newer releases made it the rule's ordinary rotation. The notice closes the earlier alert, so nobody chases a risk
 * that has gone.
 *
 * @param tag            the newest release on the image when it was found at risk
 * @param productionTags every production tag it held then
 * @param rulePriority   the rule that was taking it out of turn
 * @param foundAt        when the guard first found it at risk
 * @param why            what changed, in a sentence
 */
public record RiskResolvedFinding(
        RepositoryName repository,
        Tag tag,
        List<Tag> productionTags,
        Digest imageDigest,
        int rulePriority,
        Instant foundAt,
        Instant resolvedAt,
        String why) implements Finding {

    public RiskResolvedFinding {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(tag);
        productionTags = List.copyOf(productionTags);
        Objects.requireNonNull(imageDigest);
        Objects.requireNonNull(foundAt);
        Objects.requireNonNull(resolvedAt);
        Objects.requireNonNull(why);
    }

    @Override
    public Kind kind() {
        return Kind.RESOLVED;
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public String title() {
        return tag + " in " + repository + " is no longer expiring out of turn under lifecycle rule " + rulePriority;
    }

    @Override
    public String explanation() {
        return "On " + LifecycleWording.when(foundAt) + " the guard found that lifecycle rule " + rulePriority
                + " would take " + tag + " (digest " + imageDigest.shortForm() + ") out of turn. On "
                + LifecycleWording.when(resolvedAt) + " it no longer does: " + why + ".";
    }

    @Override
    public List<NextStep> nextSteps() {
        return List.of(new NextStep.Advice("Nothing to do: the earlier alert about " + tag + " is closed."));
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = Finding.identity(this);
        details.put("productionTags", productionTags.stream().map(Tag::value).toList());
        details.put("rulePriority", rulePriority);
        details.put("foundAtRiskAt", foundAt.toString());
        details.put("resolvedAt", resolvedAt.toString());
        details.put("why", why);
        details.put("severity", severity().name());
        return details;
    }
}
