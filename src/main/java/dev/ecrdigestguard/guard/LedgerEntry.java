package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.Objects;

/** A release as the ledger holds it: a production tag, the digest it was pushed onto, and when that was first seen. */
public record LedgerEntry(Tag tag, Digest digest, Instant firstSeen) {

    public LedgerEntry {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(firstSeen, "firstSeen");
    }
}
