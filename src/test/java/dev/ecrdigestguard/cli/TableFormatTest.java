package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.testing.SampleEvents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format table}: aligned rows for people, and a totals line. */
class TableFormatTest {

    @Test
    void check_writeUp_isOneRowPerFinding_andTheTotals() {
        CheckCommandTest.Run run = CheckCommandTest.run("check", "--event",
                SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot", "events/snapshot-expiring",
                "--production-tags", "tag-*", "--format", "table");

        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("SEVERITY +KIND +REPOSITORY +TAG +DIGEST +FINDING");
        assertThat(lines.get(1)).matches("CRITICAL +LIFECYCLE_EXPIRY +shop-api +tag-1-253-0 +sha256:ec1477a7420a +"
                + "tag-1-253-0 in shop-api will be deleted.*");
        assertThat(lines.subList(2, 4)).allMatch(line -> line.startsWith("WARNING "));
        int findingColumn = lines.get(0).indexOf("FINDING");
        assertThat(lines.subList(1, 4)).allMatch(line -> line.substring(findingColumn).startsWith("tag-1-253-0 "));
        assertThat(lines.get(4)).isEqualTo("3 findings: 1 critical, 2 warning");
    }

    @Test
    void check_withoutFindings_isTheTotalsLineAlone() {
        CheckCommandTest.Run run = CheckCommandTest.run("check", "--event",
                SampleEvents.path(SampleEvents.PRODUCTION_UNIQUE).toString(), "--snapshot", "events/snapshot",
                "--production-tags", "tag-*", "--format", "TABLE");

        assertThat(run.status()).isEqualTo(Main.OK);
        assertThat(run.out()).isEqualTo("0 findings\n");
    }

    @Test
    void audit_isOneRowPerReleaseAtRisk_andTheTotals(@TempDir Path dir) {
        // GIVEN the write-up's push recorded in a ledger, as the function records it
        String ledger = dir.resolve("ledger.json").toString();
        CheckCommandTest.run("check", "--event", "events/push-collision.json", "--snapshot", "events/snapshot-expiring",
                "--production-tags", "tag-*", "--ledger", ledger);

        CheckCommandTest.Run run = CheckCommandTest.run("audit", "--snapshot", "events/snapshot-expiring",
                "--production-tags", "tag-*", "--now", "2022-12-22T09:41:12Z", "--ledger", ledger, "--format",
                "table");

        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("REPOSITORY +RISK +PRODUCTION TAGS +DIGEST +RULE");
        assertThat(lines.get(1)).matches("shop-api +OUT OF TURN +tag-1-253-0,tag-1-252-0 +"
                + "sha256:ec1477a7420a +rule 1 'Keep last 5 production images', rank 6 of 5");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("1 repository, 6 images: 1 at risk (0 rotating out as"
                + " intended, 1 shared digest, 1 outranked)");
    }
}
