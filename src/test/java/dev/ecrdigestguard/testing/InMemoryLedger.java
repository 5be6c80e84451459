package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.guard.LedgerEntry;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The release ledger's contract in memory, for the core's tests (the adapters have their own). */
public final class InMemoryLedger implements ReleaseLedger {

    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    public final List<String> writes = new ArrayList<>();

    private static String key(RepositoryLocation repository, Tag tag) {
        return repository + ":" + tag;
    }

    public InMemoryLedger record(RepositoryLocation repository, String tag, Digest digest, Instant seenAt) {
        entries.put(key(repository, Tag.of(tag)), new LedgerEntry(Tag.of(tag), digest, seenAt));
        return this;
    }

    @Override
    public List<LedgerEntry> releases(RepositoryLocation repository) {
        return entries.entrySet().stream().filter(e -> e.getKey().startsWith(repository + ":"))
                .map(Map.Entry::getValue).toList();
    }

    @Override
    public void recordPush(RepositoryLocation repository, Tag tag, Digest digest, Instant seenAt) {
        LedgerEntry known = entries.get(key(repository, tag));
        if (known != null && (known.digest().equals(digest) ? !seenAt.isBefore(known.firstSeen())
                : !seenAt.isAfter(known.firstSeen()))) {
            return;
        }
        entries.put(key(repository, tag), new LedgerEntry(tag, digest, seenAt));
        writes.add(tag + "@" + digest.shortForm() + " " + seenAt);
    }
}
