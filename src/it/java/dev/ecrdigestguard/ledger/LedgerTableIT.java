package dev.ecrdigestguard.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.guard.RiskRecord;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.sweep.SweepState;
import dev.ecrdigestguard.testing.LedgerTables;
import dev.ecrdigestguard.testing.MotoServer;
import dev.ecrdigestguard.testing.ReleaseLedgerContract;
import dev.ecrdigestguard.testing.SweepStateContract;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The ledger table against a local DynamoDB (moto's server, started here, failing when it can't be): the release
 * ledger's contract with real conditional writes, and the register of releases at risk.
 */
class LedgerTableIT {

    static MotoServer moto;
    static DynamoDbClient dynamo;
    static int tables;

    @BeforeAll
    static void startLocalDynamoDb() throws Exception {
        moto = MotoServer.start();
        System.setProperty("aws.endpointUrlDynamoDb", moto.url());
        dynamo = AwsClients.newDynamoDbClient();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        System.clearProperty("aws.endpointUrlDynamoDb");
        moto.close();
    }

    /** A new table, created as template.yaml creates it. */
    static LedgerTable newTable() {
        return new LedgerTable(dynamo, LedgerTables.create(dynamo, "ledger-" + (++tables)));
    }

    @Nested
    class Releases extends ReleaseLedgerContract {
        @Override
        protected ReleaseLedger ledger() {
            return new DynamoDbLedger(newTable());
        }
    }

    @Nested
    class SweepCheckpoints extends SweepStateContract {
        @Override
        protected SweepState state() {
            return new DynamoDbSweepState(newTable());
        }
    }

    @Nested
    class ReleasesAtRisk {

        final RepositoryLocation shop = new RepositoryLocation("123456789012", "eu-west-1",
                RepositoryName.of("shop-api"));
        final Digest digest = Digest.of("sha256:" + "3".repeat(64));
        final Instant found = Instant.parse("2024-03-01T06:00:00.250Z");
        final RiskRecord record = new RiskRecord(digest, 1, List.of(Tag.of("tag-1-253-0"), Tag.of("tag-1-252-0")),
                Optional.of("Keep last 5 production images"), LifecycleExpiryFinding.Outcome.EXPIRE,
                found.plusSeconds(3600), found, found);

        @Test
        void claim_ofANewRisk_succeedsOnce_andReadsBackAsWritten() {
            DynamoDbRiskRegister register = new DynamoDbRiskRegister(newTable());

            assertThat(register.claim(shop, Optional.empty(), record)).isTrue();
            assertThat(register.claim(shop, Optional.empty(), record)).as("a second sweep finding it too").isFalse();

            assertThat(register.atRisk(shop)).containsExactly(record);
        }

        @Test
        void claim_ofAReminder_succeedsOnlyForTheAlertItRead() {
            DynamoDbRiskRegister register = new DynamoDbRiskRegister(newTable());
            register.claim(shop, Optional.empty(), record);
            RiskRecord reminded = record.alertedAgain(record, found.plusSeconds(86_400));

            assertThat(register.claim(shop, Optional.of(record), reminded)).isTrue();
            assertThat(register.claim(shop, Optional.of(record), record.alertedAgain(record,
                    found.plusSeconds(90_000)))).as("another invocation that read the old alert").isFalse();
            assertThat(register.atRisk(shop)).containsExactly(reminded);
        }

        @Test
        void forget_removesTheRecord_onlyIfUnchanged() {
            DynamoDbRiskRegister register = new DynamoDbRiskRegister(newTable());
            register.claim(shop, Optional.empty(), record);
            RiskRecord reminded = record.alertedAgain(record, found.plusSeconds(86_400));
            register.claim(shop, Optional.of(record), reminded);

            assertThat(register.forget(shop, record)).as("a stale read").isFalse();
            assertThat(register.forget(shop, reminded)).isTrue();
            assertThat(register.atRisk(shop)).isEmpty();
        }

        @Test
        void remember_keepsTheFirstTimeFound_andTheLatestAlert() {
            DynamoDbRiskRegister register = new DynamoDbRiskRegister(newTable());
            register.remember(shop, record);
            RiskRecord later = new RiskRecord(digest, 1, List.of(Tag.of("tag-1-254-0")), Optional.empty(),
                    LifecycleExpiryFinding.Outcome.ARCHIVE, found.plusSeconds(7200), found.plusSeconds(600),
                    found.plusSeconds(600));

            register.remember(shop, later);

            assertThat(register.atRisk(shop)).containsExactly(new RiskRecord(digest, 1, later.productionTags(),
                    Optional.of("Keep last 5 production images"), LifecycleExpiryFinding.Outcome.ARCHIVE,
                    later.dueAt(), found, later.lastAlertedAt()));
        }

        @Test
        void releasesAndRisks_ofARepository_stayApart_inOneTable() {
            LedgerTable table = newTable();
            DynamoDbRiskRegister register = new DynamoDbRiskRegister(table);
            DynamoDbLedger ledger = new DynamoDbLedger(table);
            register.claim(shop, Optional.empty(), record);
            ledger.recordPush(shop, Tag.of("tag-1-253-0"), digest, found);

            assertThat(register.atRisk(shop)).hasSize(1);
            assertThat(ledger.releases(shop)).hasSize(1);
        }
    }
}
