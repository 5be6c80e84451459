package dev.ecrdigestguard.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.guard.LedgerBackfill;
import dev.ecrdigestguard.guard.LedgerEntry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileLedgerTest {

    static final RepositoryLocation SHOP = new RepositoryLocation("123456789012", "eu-west-1",
            RepositoryName.of("shop-api"));
    static final Digest D1 = Digest.of("sha256:" + "1".repeat(64));
    static final Digest D2 = Digest.of("sha256:" + "2".repeat(64));
    static final Instant T1 = Instant.parse("2022-12-22T09:41:12Z");

    @TempDir
    Path dir;

    @Test
    void recordPush_createsTheFile_andReadsBackWhatItWrote() {
        Path file = dir.resolve("nested/ledger.json");
        JsonFileLedger ledger = new JsonFileLedger(file);

        ledger.recordPush(SHOP, Tag.of("tag-1-253-0"), D1, T1);

        assertThat(file).exists();
        assertThat(new JsonFileLedger(file).releases(SHOP))
                .containsExactly(new LedgerEntry(Tag.of("tag-1-253-0"), D1, T1));
    }

    @Test
    void recordPush_keepsTheFirstTimeForTheSameDigest_andStartsAgainOnAnotherDigest() {
        JsonFileLedger ledger = new JsonFileLedger(dir.resolve("ledger.json"));
        Tag tag = Tag.of("tag-1-253-0");

        ledger.recordPush(SHOP, tag, D1, T1);
        ledger.recordPush(SHOP, tag, D1, T1.plusSeconds(60));
        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(tag, D1, T1));

        ledger.recordPush(SHOP, tag, D1, T1.minusSeconds(60));
        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(tag, D1, T1.minusSeconds(60)));

        ledger.recordPush(SHOP, tag, D2, T1.plusSeconds(3600));
        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(tag, D2, T1.plusSeconds(3600)));
    }

    @Test
    void releases_keepsAccountsAndRegionsApart_butAnUnknownOneMatchesAny() {
        JsonFileLedger ledger = new JsonFileLedger(dir.resolve("ledger.json"));
        RepositoryLocation otherAccount = new RepositoryLocation("210987654321", "eu-west-1", SHOP.name());
        ledger.recordPush(SHOP, Tag.of("tag-1"), D1, T1);
        ledger.recordPush(otherAccount, Tag.of("tag-2"), D2, T1);

        assertThat(ledger.releases(SHOP)).extracting(LedgerEntry::tag).containsExactly(Tag.of("tag-1"));
        assertThat(ledger.releases(new RepositoryLocation("", "", SHOP.name()))).hasSize(2);
    }

    @Test
    void aWrite_leavesNoTemporaryFileBehind() throws Exception {
        JsonFileLedger ledger = new JsonFileLedger(dir.resolve("ledger.json"));
        ledger.recordPush(SHOP, Tag.of("tag-1"), D1, T1);
        ledger.recordPush(SHOP, Tag.of("tag-2"), D2, T1);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("ledger.json");
        }
    }

    @Test
    void recordPush_isOneAtomicWrite_andAPushThatChangesNothingWritesNothing() {
        JsonFileLedger ledger = new JsonFileLedger(dir.resolve("ledger.json"));

        ledger.recordPush(SHOP, Tag.of("tag-1"), D1, T1);
        ledger.recordPush(SHOP, Tag.of("tag-1"), D1, T1.plusSeconds(60)); // a repeat: the earlier time stays

        assertThat(ledger.rewrites()).isEqualTo(1);
    }

    @Test
    void recordPushes_ofTenThousandReleases_rewritesTheFileOnce() {
        // GIVEN a ledger that already holds a release
        Path file = dir.resolve("ledger.json");
        JsonFileLedger ledger = new JsonFileLedger(file);
        ledger.recordPush(SHOP, Tag.of("tag-0"), D1, T1);
        List<PushHistory.RecordedPush> pushes = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            pushes.add(new PushHistory.RecordedPush(SHOP, Tag.of("tag-" + i), i % 2 == 0 ? D1 : D2,
                    T1.plusSeconds(i)));
        }

        // WHEN ten thousand releases are recorded at once
        ledger.recordPushes(pushes);

        // THEN one more write, and the file holds all of them and the one before
        assertThat(ledger.rewrites()).isEqualTo(2);
        List<LedgerEntry> releases = new JsonFileLedger(file).releases(SHOP);
        assertThat(releases).hasSize(10_001)
                .contains(new LedgerEntry(Tag.of("tag-0"), D1, T1),
                        new LedgerEntry(Tag.of("tag-10000"), D1, T1.plusSeconds(10_000)));
    }

    @Test
    void backfill_intoTheFile_rewritesItOncePerPageOfHistory() {
        // GIVEN CloudTrail's history: 10 pages of 1,000 pushes, nine in ten of them production releases
        int pages = 10;
        int perPage = 1_000;
        MutableClock clock = new MutableClock(T1.plus(Duration.ofDays(1)));
        PushHistory history = (from, to, token) -> {
            int page = token.map(Integer::parseInt).orElse(0);
            clock.advance(Duration.ofSeconds(1)); // a second per call: the backfill's pace never has to wait
            List<PushHistory.RecordedPush> pushes = new ArrayList<>();
            for (int i = 0; i < perPage; i++) {
                int n = page * perPage + i;
                pushes.add(new PushHistory.RecordedPush(SHOP, Tag.of((n % 10 == 0 ? "git-" : "tag-") + n), D1,
                        T1.minusSeconds(n)));
            }
            return new PushHistory.Page(pushes, 0,
                    page + 1 < pages ? Optional.of(Integer.toString(page + 1)) : Optional.empty());
        };
        Path file = dir.resolve("ledger.json");
        JsonFileLedger ledger = new JsonFileLedger(file);

        // WHEN the backfill reads it all into the file
        LedgerBackfill.Progress done = new LedgerBackfill(history, ledger, ProductionTags.parse("tag-*"),
                repository -> true, clock).run(LedgerBackfill.Progress.start(clock.instant(), LedgerBackfill.WINDOW),
                Instant.MAX);

        // THEN every production release is in the file, written once per page rather than once per release
        assertThat(done.done()).isTrue();
        assertThat(done.recorded()).isEqualTo(9_000);
        assertThat(ledger.rewrites()).isEqualTo(pages);
        assertThat(new JsonFileLedger(file).releases(SHOP)).hasSize(9_000)
                .allSatisfy(release -> assertThat(release.tag().value()).startsWith("tag-"));
    }

    @Test
    void aFileThatIsNotALedger_isRejectedNamingTheFileAndTheProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("ledger.json"), "{\"version\":1,\"releases\":[{\"repository\":"
                + "\"shop-api\",\"tag\":\"tag-1\",\"digest\":\"sha256:nope\",\"firstSeen\":\"2022-12-22T09:41:12Z\"}]}");

        assertThatThrownBy(() -> new JsonFileLedger(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the ledger " + file + " is not a release ledger: invalid image digest");
        assertThatThrownBy(() -> new JsonFileLedger(Files.writeString(dir.resolve("other.json"), "[1,2]")))
                .hasMessageContaining("expected {\"version\":1,\"releases\":[…]}");
    }
}
