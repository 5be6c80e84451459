package dev.ecrdigestguard.finding;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Something the guard found about a production push that a person should know. Each kind is its own record that
 * explains itself, so every channel (SNS e-mail, AWS Chatbot, Slack, JSON for machines) renders any finding the same
 * way without knowing its kind.
 */
public sealed interface Finding permits SharedDigestFinding, LifecycleExpiryFinding, LifecycleOutrankedFinding,
        RetaggedFinding, RetagRefusedFinding, AccountUnreachableFinding,
        // ---- the sweep and the post-mortem (issue 10)
        ReleaseDeletedFinding, RiskResolvedFinding {

    enum Kind { SHARED_DIGEST, LIFECYCLE_EXPIRY, LIFECYCLE_OUTRANKED, RETAGGED, RETAG_REFUSED, ACCOUNT_UNREACHABLE,
        // ---- the sweep and the post-mortem (issue 10)
        RELEASE_DELETED, RESOLVED }

    /** Ordered so that {@code max} gives the most urgent. */
    enum Severity { INFO, WARNING, CRITICAL }

    Kind kind();

    Severity severity();

    RepositoryName repository();

    Tag tag();

    Digest imageDigest();

    /** One line a person reads first, e.g. "tag-1-253-0 shares its digest with tag-1-252-0". */
    String title();

    /** What happened and why it is dangerous, in plain sentences. */
    String explanation();

    /**
     * What to do about it, most effective first. The alert shows the first step of its most severe finding as "Do
     * now" (a command where the step has one) and every other step once.
     */
    List<NextStep> nextSteps();

    /**
     * The finding's fields for machines, in a stable order: values are strings, numbers, booleans or lists of
     * strings. Always starts with {@code kind}, {@code repository}, {@code tag}, {@code imageDigest}.
     */
    Map<String, Object> details();

    /** The fields every finding's {@link #details()} starts with, in an ordered map the finding adds its own to. */
    static Map<String, Object> identity(Finding finding) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", finding.kind().name());
        details.put("repository", finding.repository().value());
        details.put("tag", finding.tag().value());
        details.put("imageDigest", finding.imageDigest().value());
        return details;
    }
}
