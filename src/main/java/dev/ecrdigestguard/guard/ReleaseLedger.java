package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;

/**
 * The release ledger (port): for each production tag the guard sees pushed, the digest and the time it was first seen.
 * ECR keeps only a digest's first push time, so this is the one record of when each release happened — what tells a
 * release expiring out of turn from ordinary rotation. The function keeps it in DynamoDB, the command line in a JSON
 * file ({@code --ledger}). Failures are {@code ServiceFailure}s.
 */
public interface ReleaseLedger {

    /** Every release recorded for the repository (the latest entry per tag). */
    List<LedgerEntry> releases(RepositoryLocation repository);

    /**
     * Records that {@code tag} was pushed onto {@code digest} at {@code seenAt}. The earliest time is kept for the same
     * tag and digest (a retried or duplicated event changes nothing); a tag pushed onto another digest is a new release
     * from {@code seenAt} — unless the entry recorded is newer than {@code seenAt}: then this is an old event (a late
     * retry, CloudTrail's history read newest first) of a tag that has moved on since, and changes nothing.
     */
    void recordPush(RepositoryLocation repository, Tag tag, Digest digest, Instant seenAt);

    /**
     * Records many pushes, with the same outcome as {@link #recordPush} for each in turn. The backfill hands over a
     * page of history at a time: an adapter that stores the whole ledger at once (the JSON file) writes once per call
     * instead of once per push.
     */
    default void recordPushes(List<PushHistory.RecordedPush> pushes) {
        for (PushHistory.RecordedPush push : pushes) {
            recordPush(push.repository(), push.tag(), push.digest(), push.at());
        }
    }

    /** No ledger: nothing recorded, nothing known; every release is judged by its digest's push time. */
    static ReleaseLedger none() {
        return new ReleaseLedger() {
            @Override
            public List<LedgerEntry> releases(RepositoryLocation repository) {
                return List.of();
            }

            @Override
            public void recordPush(RepositoryLocation repository, Tag tag, Digest digest, Instant seenAt) {
            }
        };
    }
}
