package dev.ecrdigestguard.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.guard.LedgerEntry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.ReleaseLedger;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.json.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release ledger in a JSON file, for the command line ({@code check --ledger FILE}, {@code audit --ledger FILE}):
 * created when missing, rewritten atomically (a temporary file beside it, then a rename) so an interrupted run never
 * leaves half a ledger. One entry per repository and tag:
 *
 * <pre>{"version":1,"releases":[{"account":"123456789012","region":"eu-west-1","repository":"shop-api",
 *   "tag":"tag-1-253-0","digest":"sha256:…","firstSeen":"2022-12-22T09:41:12Z"}]}</pre>
 *
 * <p>An entry whose account or region is empty matches a repository of that name in any account or region, so a
 * recording without a registry id (an offline audit) still finds its releases.
 */
public final class JsonFileLedger implements ReleaseLedger {

    static final int VERSION = 1;

    private final Path file;
    private long rewrites;

    private record Entry(RepositoryLocation location, LedgerEntry release) {
    }

    /** What the ledger keeps one entry for. */
    private record Release(RepositoryLocation location, Tag tag) {
    }

    public JsonFileLedger(Path file) {
        this.file = file;
        read(); // a ledger that can't be read is reported before anything is judged by it
    }

    @Override
    public List<LedgerEntry> releases(RepositoryLocation repository) {
        return read().stream().filter(entry -> entry.location().matches(repository)).map(Entry::release).toList();
    }

    @Override
    public void recordPush(RepositoryLocation repository, Tag tag, Digest digest, Instant seenAt) {
        recordPushes(List.of(new PushHistory.RecordedPush(repository, tag, digest, seenAt)));
    }

    /** Reads the file once, applies every push in turn, and rewrites the file once if any of them changed it. */
    @Override
    public synchronized void recordPushes(List<PushHistory.RecordedPush> pushes) {
        Map<Release, Entry> entries = new LinkedHashMap<>();
        for (Entry entry : read()) {
            entries.put(new Release(entry.location(), entry.release().tag()), entry);
        }
        boolean changed = false;
        for (PushHistory.RecordedPush push : pushes) {
            Release release = new Release(push.repository(), push.tag());
            Entry known = entries.get(release);
            if (known != null) {
                LedgerEntry entry = known.release();
                boolean sameRelease = entry.digest().equals(push.digest());
                if (sameRelease ? !push.at().isBefore(entry.firstSeen()) : !push.at().isAfter(entry.firstSeen())) {
                    continue;
                }
            }
            entries.put(release, new Entry(push.repository(), new LedgerEntry(push.tag(), push.digest(), push.at())));
            changed = true;
        }
        if (changed) {
            write(entries.values());
        }
    }

    /** How many times the file was rewritten: what the tests hold the backfill's one write per page to. */
    synchronized long rewrites() {
        return rewrites;
    }

    private List<Entry> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = Json.mapper().readTree(bytes);
            if (root == null || !root.isObject() || !root.path("releases").isArray()) {
                throw new IllegalArgumentException("expected {\"version\":1,\"releases\":[…]}");
            }
            if (root.path("version").asInt() != VERSION) {
                throw new IllegalArgumentException("version " + root.path("version") + " is not " + VERSION);
            }
            List<Entry> entries = new ArrayList<>();
            int index = 0;
            for (JsonNode release : root.get("releases")) {
                String where = "releases[" + index++ + "]";
                entries.add(new Entry(
                        new RepositoryLocation(text(release, "account", where, true),
                                text(release, "region", where, true),
                                RepositoryName.of(text(release, "repository", where, false))),
                        new LedgerEntry(Tag.of(text(release, "tag", where, false)),
                                Digest.of(text(release, "digest", where, false)),
                                InstantRange.parseIso(text(release, "firstSeen", where, false),
                                        where + ".firstSeen"))));
            }
            return entries;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the ledger " + file + " is not a release ledger: " + e.getMessage(),
                    e);
        }
    }

    private static String text(JsonNode node, String field, String where, boolean optional) {
        JsonNode value = node.get(field);
        if (value == null && optional) {
            return "";
        }
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + " must be a string");
        }
        return value.asText();
    }

    private void write(Collection<Entry> entries) {
        List<Map<String, Object>> releases = new ArrayList<>();
        entries.stream()
                .sorted(Comparator.comparing((Entry e) -> e.location().toString())
                        .thenComparing(e -> e.release().firstSeen())
                        .thenComparing(e -> e.release().tag()))
                .forEach(entry -> {
                    Map<String, Object> release = new LinkedHashMap<>();
                    release.put("account", entry.location().account());
                    release.put("region", entry.location().region());
                    release.put("repository", entry.location().name().value());
                    release.put("tag", entry.release().tag().value());
                    release.put("digest", entry.release().digest().value());
                    release.put("firstSeen", entry.release().firstSeen().toString());
                    releases.add(release);
                });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        root.put("releases", releases);
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
            Files.writeString(temporary, JsonText.writePretty(root) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            rewrites++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
