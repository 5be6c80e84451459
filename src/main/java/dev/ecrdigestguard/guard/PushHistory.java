package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A registry's record of past pushes (port), for filling the release ledger with releases pushed before the guard
 * recorded them: CloudTrail's {@code PutImage} events ({@code cloudtrail.CloudTrailPushHistory}). Failures are
 * {@code ServiceFailure}s.
 */
public interface PushHistory {

    /** One tag pushed onto one digest, as the history recorded it. */
    record RecordedPush(RepositoryLocation repository, Tag tag, Digest digest, Instant at) {
        public RecordedPush {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * One page of the pushes between {@code from} and {@code to}.
     *
     * @param unreadable records that were pushes but could not be read as one (no tag: a child of a
     *                   multi-architecture image; a failed push; a field missing or malformed)
     * @param next       where the next page starts, when there is one
     */
    record Page(List<RecordedPush> pushes, int unreadable, Optional<String> next) {
        public Page {
            pushes = List.copyOf(pushes);
            Objects.requireNonNull(next, "next");
        }
    }

    /** The page at {@code token} (the first when empty) of the pushes between {@code from} and {@code to}. */
    Page pushes(Instant from, Instant to, Optional<String> token);
}
