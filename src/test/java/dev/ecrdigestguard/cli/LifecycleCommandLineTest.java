package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle commands and findings through {@link Main}, as a person runs them, on the bundled files. */
class LifecycleCommandLineTest {

    private static final String EXPIRING = SampleEvents.FOLDER.resolve("snapshot-expiring").toString();

    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void check_flagsTheNewestReleaseAsExpiring_whenFiveReleasesWerePushedAfterItsDigest() throws Exception {
        // GIVEN the story's repository: tag-1-253-0 reuses the digest of tag-1-252-0, five hotfixes pushed since
        // WHEN
        Run run = run("check", "--event", SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot", EXPIRING,
                "--production-tags", "tag-*", "--format", "json");

        // THEN
        assertThat(run.status()).isEqualTo(Main.FINDINGS);
        JsonNode findings = Json.mapper().readTree(run.out()).get("findings");
        assertThat(findings).extracting(finding -> finding.get("kind").asText())
                .containsExactly("LIFECYCLE_EXPIRY", "SHARED_DIGEST", "LIFECYCLE_OUTRANKED");
        JsonNode expiry = findings.get(0);
        assertThat(expiry.get("rulePriority").asInt()).isEqualTo(1);
        assertThat(expiry.get("rank").asInt()).isEqualTo(6);
        assertThat(findings.get(2).get("countToKeepReleases").asInt()).isEqualTo(6);
    }

    @Test
    void check_saysInWordsWhyTheReleaseGoes() {
        Run run = run("check", "--event", SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot", EXPIRING,
                "--production-tags", "tag-*");

        assertThat(run.out()).contains("tag-1-253-0 ranks 6th of the images kept by rule 1 'Keep last 5 production"
                + " images' because its digest was first pushed on 2022-12-15 09:57 UTC; it will be deleted within 24"
                + " hours");
    }

    @Test
    void preview_and_audit_areSubcommandsOfMain(@TempDir Path dir) {
        Run preview = run("preview", "--images", SampleEvents.SNAPSHOT.resolve("describe-images.json").toString(),
                "--policy", SampleEvents.SNAPSHOT.resolve("lifecycle-policy.json").toString(),
                "--now", "2022-12-22T09:41:12Z");
        // The push recorded in a ledger by check, as the function records it: then audit sees the release at risk.
        String ledger = dir.resolve("ledger.json").toString();
        Run check = run("check", "--event", SampleEvents.path(SampleEvents.COLLISION).toString(), "--snapshot",
                EXPIRING, "--production-tags", "tag-*", "--ledger", ledger);
        Run audit = run("audit", "--snapshot", EXPIRING, "--production-tags", "tag-*", "--now",
                "2022-12-22T09:41:12Z", "--ledger", ledger);

        assertThat(preview.status()).isEqualTo(Main.OK);
        assertThat(preview.out()).contains("11 images as of 2022-12-22T09:41:12Z: 3 expire, 0 transition to archive,"
                + " 8 kept");
        assertThat(check.status()).isEqualTo(Main.FINDINGS);
        assertThat(audit.status()).isEqualTo(Main.FINDINGS);
        assertThat(audit.out()).contains("shop-api: 6 images, policy valid (2 rules)").contains("verdict: AT RISK");
    }
}
