package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.lifecycle.RepositoryAudit;
import dev.ecrdigestguard.lifecycle.RepositoryAudit.ProductionImage;
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
    static void ofAudit(List<RepositoryAudit> audits, PrintWriter out) {
        TextTable table = new TextTable("REPOSITORY", "RISK", "PRODUCTION TAGS", "DIGEST", "RULE");
        int shared = 0;
        int expiring = 0;
        int outranked = 0;
        long images = 0;
        for (RepositoryAudit audit : audits) {
            images += audit.imageCount();
            shared += rows(table, audit, "SHARED_DIGEST", audit.sharedDigests());
            expiring += rows(table, audit, "EXPIRING", audit.expiring());
            outranked += rows(table, audit, "OUTRANKED", audit.outranked());
            if (audit.policy().status() == RepositoryAudit.PolicyVerdict.Status.REJECTED) {
                table.row(audit.repository().value(), "POLICY REJECTED", "", "", audit.policy().detail());
            }
        }
        long atRisk = audits.stream().filter(RepositoryAudit::atRisk).count();
        table.print(out, plural(audits.size(), "repository", "repositories") + ", " + plural((int) images, "image")
                + ": " + atRisk + " at risk (" + plural(shared, "shared digest") + ", " + expiring + " expiring, "
                + outranked + " outranked)");
    }

    private static int rows(TextTable table, RepositoryAudit audit, String risk, List<ProductionImage> images) {
        for (ProductionImage image : images) {
            table.row(audit.repository().value(), risk, image.productionTags().stream().map(Object::toString)
                    .collect(Collectors.joining(",")), image.digest().shortForm(),
                    LifecycleJson.standingText(image.rule(), image.standing()));
        }
        return images.size();
    }

    private static String plural(int count, String noun) {
        return plural(count, noun, noun + "s");
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }
}
