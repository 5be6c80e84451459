package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code table} layout of {@code check} (one row per finding) and {@code audit} (one row per release at risk). */
final class FindingsTable {

    private FindingsTable() {
    }

    /** "3 findings: 1 critical, 2 warning". */
    static void ofCheck(List<Finding> findings, PrintWriter out) {
        TextTable table = new TextTable("SEVERITY", "KIND", "REPOSITORY", "TAG", "DIGEST", "FINDING");
        Map<Finding.Severity, Integer> bySeverity = new EnumMap<>(Finding.Severity.class);
        for (Finding finding : findings) {
            bySeverity.merge(finding.severity(), 1, Integer::sum);
            table.row(finding.severity().name(), finding.kind().name(), finding.repository().value(),
                    finding.tag().value(), finding.imageDigest().shortForm(), finding.title());
        }
        String counts = bySeverity.entrySet().stream()
                .sorted(Map.Entry.<Finding.Severity, Integer>comparingByKey().reversed())
                .map(entry -> entry.getValue() + " " + entry.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        table.print(out, plural(findings.size(), "finding") + (counts.isEmpty() ? "" : ": " + counts));
    }

    /** "2 repositories, 23 images: 1 at risk (1 shared digest, 1 expiring, 1 outranked)". */
    /** Releases at risk first (OUT OF TURN), then rotation, shared digests and outranked releases, with totals. */
    static void ofAudit(List<RepositoryAudit> audits, List<LifecycleExpiryFinding> findings, PrintWriter out) {
        TextTable table = new TextTable("REPOSITORY", "RISK", "PRODUCTION TAGS", "DIGEST", "RULE");
        int rotation = 0;
        int shared = 0;
        int outranked = 0;
        long images = 0;
        for (RepositoryAudit audit : audits) {
            images += audit.imageCount();
            rows(table, audit, "OUT OF TURN", audit.outOfTurn());
        }
        for (RepositoryAudit audit : audits) {
            rotation += rows(table, audit, "ROTATION", audit.rotation());
            shared += rows(table, audit, "SHARED_DIGEST", audit.sharedDigests());
            outranked += rows(table, audit, "OUTRANKED", audit.outranked());
            if (audit.policy().status() == RepositoryAudit.PolicyVerdict.Status.REJECTED) {
                table.row(audit.repository().value(), "POLICY REJECTED", "", "", audit.policy().detail());
            }
        }
        table.print(out, plural(audits.size(), "repository", "repositories") + ", " + plural((int) images, "image")
                + ": " + findings.size() + " at risk (" + rotation + " rotating out as intended, "
                + plural(shared, "shared digest") + ", " + outranked + " outranked)");
    }

    private static int rows(TextTable table, RepositoryAudit audit, String risk, List<ReleaseStanding> releases) {
        for (ReleaseStanding release : releases) {
            table.row(audit.repository().value(), risk, release.productionTags().stream().map(Object::toString)
                    .collect(Collectors.joining(",")), release.image().digest().shortForm(),
                    LifecycleJson.standingText(release.actual().decidingRule(), release.actual().standing()));
        }
        return releases.size();
    }

    private static String plural(int count, String noun) {
        return plural(count, noun, noun + "s");
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }
}
