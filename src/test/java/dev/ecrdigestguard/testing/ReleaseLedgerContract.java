package dev.ecrdigestguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.guard.LedgerEntry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every release ledger promises ({@link ReleaseLedger#recordPush}), run against each adapter: the earliest time
 * for the same tag and digest, a moved tag as a new release, old events of a moved tag ignored, many pushes at once as each in turn,
 * registries apart.
 */
public abstract class ReleaseLedgerContract {

    protected static final RepositoryLocation SHOP = new RepositoryLocation("123456789012", "eu-west-1",
            RepositoryName.of("shop-api"));
    protected static final Digest D1 = Digest.of("sha256:" + "1".repeat(64));
    protected static final Digest D2 = Digest.of("sha256:" + "2".repeat(64));
    protected static final Tag TAG = Tag.of("tag-1-253-0");
    protected static final Instant T = Instant.parse("2024-03-01T10:00:00Z");

    /** A new, empty ledger. */
    protected abstract ReleaseLedger ledger();

    @Test
    void recordPush_keepsTheEarliestTime_forTheSameTagAndDigest_comparingTimesAsTimes() {
        ReleaseLedger ledger = ledger();

        ledger.recordPush(SHOP, TAG, D1, T.plusMillis(500));
        ledger.recordPush(SHOP, TAG, D1, T.plusSeconds(60));
        // "…10:00:00Z" sorts after "…10:00:00.500Z" as text, yet is half a second earlier.
        ledger.recordPush(SHOP, TAG, D1, T);
        ledger.recordPush(SHOP, TAG, D1, T.plusMillis(500));

        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(TAG, D1, T));
    }

    @Test
    void recordPush_ofTheTagOnAnotherDigest_isANewReleaseFromThen() {
        ReleaseLedger ledger = ledger();

        ledger.recordPush(SHOP, TAG, D1, T);
        ledger.recordPush(SHOP, TAG, D2, T.plusSeconds(3600));

        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(TAG, D2, T.plusSeconds(3600)));
    }

    @Test
    void recordPush_anOldEventOfATagThatHasMovedOnSince_changesNothing() {
        ReleaseLedger ledger = ledger();

        ledger.recordPush(SHOP, TAG, D2, T.plusSeconds(3600));
        ledger.recordPush(SHOP, TAG, D1, T);

        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(TAG, D2, T.plusSeconds(3600)));
    }

    @Test
    void recordPushes_endAsRecordPushOfEachInTurn() {
        // GIVEN pushes in the order CloudTrail reads them, newest first, with a repeat and a tag that moved on
        ReleaseLedger batched = ledger();
        ReleaseLedger oneByOne = ledger();
        Tag other = Tag.of("tag-1-252-0");
        List<PushHistory.RecordedPush> pushes = List.of(
                new PushHistory.RecordedPush(SHOP, TAG, D2, T.plusSeconds(3600)),
                new PushHistory.RecordedPush(SHOP, other, D1, T.plusSeconds(60)),
                new PushHistory.RecordedPush(SHOP, TAG, D1, T),
                new PushHistory.RecordedPush(SHOP, other, D1, T.plusSeconds(30)),
                new PushHistory.RecordedPush(SHOP, other, D1, T.plusSeconds(90)));

        // WHEN one ledger gets them at once, the other one at a time
        batched.recordPushes(pushes);
        pushes.forEach(push -> oneByOne.recordPush(push.repository(), push.tag(), push.digest(), push.at()));

        // THEN both hold the same: the moved tag's newest release, the repeated one's earliest time
        assertThat(batched.releases(SHOP)).containsExactlyInAnyOrderElementsOf(oneByOne.releases(SHOP))
                .containsExactlyInAnyOrder(new LedgerEntry(TAG, D2, T.plusSeconds(3600)),
                        new LedgerEntry(other, D1, T.plusSeconds(30)));
    }

    @Test
    void releases_keepRepositoriesAccountsAndRegionsApart() {
        ReleaseLedger ledger = ledger();
        RepositoryLocation otherAccount = new RepositoryLocation("210987654321", "eu-west-1", SHOP.name());
        RepositoryLocation otherRegion = new RepositoryLocation("123456789012", "us-east-1", SHOP.name());
        RepositoryLocation otherName = new RepositoryLocation("123456789012", "eu-west-1",
                RepositoryName.of("shop-api-canary"));

        ledger.recordPush(SHOP, TAG, D1, T);
        ledger.recordPush(otherAccount, Tag.of("tag-2"), D2, T);
        ledger.recordPush(otherRegion, Tag.of("tag-3"), D2, T);
        ledger.recordPush(otherName, Tag.of("tag-4"), D2, T);

        assertThat(ledger.releases(SHOP)).containsExactly(new LedgerEntry(TAG, D1, T));
        assertThat(ledger.releases(otherAccount)).extracting(LedgerEntry::tag).containsExactly(Tag.of("tag-2"));
        assertThat(ledger.releases(otherRegion)).extracting(LedgerEntry::tag).containsExactly(Tag.of("tag-3"));
        assertThat(ledger.releases(otherName)).extracting(LedgerEntry::tag).containsExactly(Tag.of("tag-4"));
    }

    @Test
    void releases_ofARepositoryNeverRecorded_areNone() {
        assertThat(ledger().releases(SHOP)).isEmpty();
    }
}
