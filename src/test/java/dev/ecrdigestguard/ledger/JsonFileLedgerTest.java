package dev.ecrdigestguard.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.guard.LedgerEntry;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
