package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.event.DeletionEvent;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.NextStep;
import dev.ecrdigestguard.finding.ReleaseDeletedFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.InMemoryLedger;
import dev.ecrdigestguard.testing.InMemoryRiskRegister;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The post-mortem of a deleted production tag, through the guard's one entry, with in-memory ports. */
class ReleaseDeletionResponseTest {

    static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");
    static final RepositoryLocation SHOP = new RepositoryLocation("123456789012", "eu-west-1",
            RepositoryName.of("shop-api"));
    static final Digest DIGEST = Digest.of("sha256:" + "a".repeat(64));
    static final Instant FOUND = Instant.parse("2024-03-01T06:00:00Z");
    static final Instant DELETED = Instant.parse("2024-03-01T20:14:03Z");

    final InMemoryRiskRegister risks = new InMemoryRiskRegister();
    final List<GuardReport> sent = new ArrayList<>();
    final AtomicInteger portsBuilt = new AtomicInteger();
    final GuardMetrics metrics = new GuardMetrics();
    final CapturedLog log = new CapturedLog();

    @AfterEach
    void restoreLog() {
        log.close();
    }

    Guard guard(RepositoryPatterns silenced) {
        Notifier channel = new Notifier() {
            @Override
            public String channel() {
                return "sns";
            }

            @Override
            public void send(GuardReport report) {
                sent.add(report);
            }
        };
        GuardConfig config = new GuardConfig(PRODUCTION, Optional.empty(), GuardConfig.Mode.ALERT,
                GuardConfig.LogLevel.INFO, Optional.empty(), silenced);
        return new Guard(config, () -> {
            portsBuilt.incrementAndGet();
            return new GuardPorts(new dev.ecrdigestguard.testing.RegistryCatalog(
                    new dev.ecrdigestguard.retag.InMemoryRegistry(SHOP.name())), new AlertFanOut(List.of(channel)),
                    Optional.empty(), new InMemoryLedger(), risks);
        });
    }

    static EventReading deletionOf(String tag) {
        return new EventReading.Deletion(new DeletionEvent("7c3e1d52-9b0a-4f6e-8d21-5a4b3c2d1e0f", DELETED,
                SHOP.account(), SHOP.region(), SHOP.name(), DIGEST, Tag.of(tag)));
    }

    RiskRecord atRisk() {
        RiskRecord record = new RiskRecord(DIGEST, 1, List.of(Tag.of("tag-1-253-0"), Tag.of("tag-1-252-0")),
                Optional.of("Keep last 5 production images"), LifecycleExpiryFinding.Outcome.EXPIRE,
                FOUND.plusSeconds(3600), FOUND, FOUND);
        risks.claim(SHOP, Optional.empty(), record);
        return record;
    }

    @Test
    void deletion_ofAReleaseFoundAtRisk_isACriticalAlert_namingTheRuleAndTheWayBack() {
        atRisk();

        GuardResponse response = guard(RepositoryPatterns.none()).respond(deletionOf("tag-1-252-0"), metrics,
                Instant.MAX);

        assertThat(response.outcome()).isEqualTo(GuardOutcome.RELEASE_DELETED);
        assertThat(sent).hasSize(1);
        ReleaseDeletedFinding finding = (ReleaseDeletedFinding) sent.get(0).findings().get(0);
        assertThat(finding.severity()).isEqualTo(Finding.Severity.CRITICAL);
        assertThat(finding.tag()).as("the newest release on the image").isEqualTo(Tag.of("tag-1-253-0"));
        assertThat(finding.title()).isEqualTo("tag-1-253-0 in shop-api was deleted out of turn by lifecycle rule 1");
        assertThat(finding.explanation()).contains("'Keep last 5 production images'", "2024-03-01 06:00 UTC",
                "2024-03-01 20:14 UTC", "ECR cannot restore", "tag-1-252-0");
        assertThat(finding.nextSteps().get(0).text()).startsWith("Rebuild tag-1-253-0");
        assertThat(finding.details()).containsEntry("seenBy", "DELETE_EVENT").containsEntry("outcome", "DELETED");
        assertThat(risks.atRisk(SHOP)).as("told once: the sweep won't repeat it").isEmpty();
        assertThat(metrics.value(GuardMetrics.RELEASES_DELETED_OUT_OF_TURN)).isEqualTo(1);
    }

    @Test
    void deletion_ofAReleaseNeverFoundAtRisk_isCounted_notAlerted() {
        GuardResponse response = guard(RepositoryPatterns.none()).respond(deletionOf("tag-1-240-0"), metrics,
                Instant.MAX);

        assertThat(response.outcome()).isEqualTo(GuardOutcome.DELETED_IN_TURN);
        assertThat(sent).isEmpty();
        assertThat(metrics.value(GuardMetrics.RELEASE_DELETIONS_IN_TURN)).isEqualTo(1);
        assertThat(log.text()).contains("ordinary rotation or a deliberate deletion");
    }

    @Test
    void deletion_ofANonProductionTag_buildsNoPortAtAll() {
        atRisk();

        GuardResponse response = guard(RepositoryPatterns.none()).respond(deletionOf("git-684254dd"), metrics,
                Instant.MAX);

        assertThat(response.outcome()).isEqualTo(GuardOutcome.NOT_PRODUCTION);
        assertThat(portsBuilt).hasValue(0);
        assertThat(risks.atRisk(SHOP)).hasSize(1);
    }

    @Test
    void deletion_inASilencedRepository_isCounted_butNotAlerted() {
        atRisk();

        GuardResponse response = guard(RepositoryPatterns.parse("shop-*")).respond(deletionOf("tag-1-253-0"),
                metrics, Instant.MAX);

        assertThat(response.outcome()).isEqualTo(GuardOutcome.RELEASE_DELETED);
        assertThat(sent).isEmpty();
        assertThat(metrics.value(GuardMetrics.SILENCED)).isEqualTo(1);
    }

    @Test
    void archivedRelease_seenBySweep_asksForARestoreCommand() {
        ReleaseDeletedFinding archived = new ReleaseDeletedFinding(SHOP.name(), Tag.of("tag-1-253-0"),
                List.of(Tag.of("tag-1-253-0")), DIGEST, ReleaseDeletedFinding.Outcome.ARCHIVED, 2, Optional.empty(),
                FOUND, FOUND.plusSeconds(60), DELETED, ReleaseDeletedFinding.SeenBy.SWEEP);

        assertThat(archived.title()).isEqualTo("tag-1-253-0 in shop-api was moved to archive out of turn by lifecycle"
                + " rule 2");
        assertThat(archived.nextSteps().get(0)).isEqualTo(new NextStep.RestoreFromArchive(SHOP.name(), DIGEST));
        assertThat(archived.explanation()).contains("the sweep of 2024-03-01 20:14 UTC no longer found it",
                "restore it now");
    }
}
