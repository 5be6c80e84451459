package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Images waiting for their rank, packed into rows of longs: an {@link ImageRecord} with its digest, tags, instants and
 * optionals costs about 400 bytes of objects, the same image here 104 bytes plus its tags' characters. Only the images
 * a count rule decides wait, so this is what lets {@link StreamingEvaluation} hold a million of them in a small heap
 * ("keep the last N images" of any tag decides every image). Index children are not stored.
 */
final class PendingImages {

    /** The row: the digest, the four instants' seconds, their nanos two by two, where the tags are, the rest. */
    private static final int DIGEST = 0;
    private static final int PUSHED = 4;
    private static final int PULLED = 5;
    private static final int ARCHIVED = 6;
    private static final int ACTIVATED = 7;
    private static final int NANOS_PUSHED_PULLED = 8;
    private static final int NANOS_ARCHIVED_ACTIVATED = 9;
    private static final int TAGS = 10;
    /** The storage class in the top byte, the manifest and artifact media types below (0: none, else number + 1). */
    private static final int CLASS_AND_MEDIA_TYPES = 11;
    private static final int WIDTH = 12;

    private static final long ABSENT = 0xffff_ffffL;
    private static final int TEXT_CHUNK = 256 * 1024;
    private static final StorageClass[] STORAGE_CLASSES = StorageClass.values();

    private final LongRows rows = new LongRows(WIDTH);
    /**
     * The tags of each image in one chunk: their count in four bytes, then per tag its length in two (a tag has at most
     * 300 characters) and its ASCII characters. The row holds the chunk in its high half, the offset in the low.
     */
    private final List<byte[]> tagText = new ArrayList<>();
    /** Bytes used in the last chunk; past the chunk size (at first, or after an image too large for a chunk) a new one
     * is started. */
    private int textSize = TEXT_CHUNK;
    private final List<String> mediaTypes = new ArrayList<>();
    private final Map<String, Integer> mediaTypeNumbers = new HashMap<>();

    /** Stores the image and returns its slot. */
    int add(ImageRecord image) {
        int slot = rows.add();
        PackedDigest.pack(image.digest(), rows, slot, DIGEST);
        rows.set(slot, PUSHED, image.pushedAt().getEpochSecond());
        rows.set(slot, PULLED, seconds(image.lastPulledAt()));
        rows.set(slot, ARCHIVED, seconds(image.lastArchivedAt()));
        rows.set(slot, ACTIVATED, seconds(image.lastActivatedAt()));
        rows.set(slot, NANOS_PUSHED_PULLED, (long) image.pushedAt().getNano() << 32 | nanos(image.lastPulledAt()));
        rows.set(slot, NANOS_ARCHIVED_ACTIVATED, nanos(image.lastArchivedAt()) << 32 | nanos(image.lastActivatedAt()));
        rows.set(slot, TAGS, putTags(image.tags()));
        rows.set(slot, CLASS_AND_MEDIA_TYPES, (long) image.storageClass().ordinal() << 56
                | mediaTypeNumber(image.manifestMediaType()) << 28 | mediaTypeNumber(image.artifactMediaType()));
        return slot;
    }

    /** The image stored in {@code slot}, equal to the one given to {@link #add}. */
    ImageRecord get(int slot) {
        long nanos = rows.get(slot, NANOS_PUSHED_PULLED);
        long moreNanos = rows.get(slot, NANOS_ARCHIVED_ACTIVATED);
        long classAndTypes = rows.get(slot, CLASS_AND_MEDIA_TYPES);
        return new ImageRecord(PackedDigest.unpack(rows, slot, DIGEST), tags(rows.get(slot, TAGS)),
                Instant.ofEpochSecond(rows.get(slot, PUSHED), nanos >>> 32),
                instant(rows.get(slot, PULLED), nanos & ABSENT),
                STORAGE_CLASSES[(int) (classAndTypes >>> 56)],
                instant(rows.get(slot, ARCHIVED), moreNanos >>> 32),
                instant(rows.get(slot, ACTIVATED), moreNanos & ABSENT),
                mediaType((classAndTypes >>> 28) & 0xfff_ffff), mediaType(classAndTypes & 0xfff_ffff), List.of());
    }

    /** Reads the start and the end of the row and the tags of {@code slot}, to have them in the cache soon. */
    long touch(int slot) {
        long tags = rows.get(slot, TAGS);
        return rows.get(slot, DIGEST) + tags + tagText.get((int) (tags >>> 32))[(int) tags];
    }

    /** Compares the digest of the image in {@code slot} with one in other rows, without reading the image. */
    int compareDigest(int slot, LongRows others, int row, int field) {
        return PackedDigest.compare(rows, slot, DIGEST, others, row, field);
    }

    /** Compares the digests of the images in two slots. */
    int compareDigests(int slot, int otherSlot) {
        return compareDigest(slot, rows, otherSlot, DIGEST);
    }

    private static long seconds(Optional<Instant> instant) {
        return instant.isPresent() ? instant.get().getEpochSecond() : 0;
    }

    private static long nanos(Optional<Instant> instant) {
        return instant.isPresent() ? instant.get().getNano() : ABSENT;
    }

    private static Optional<Instant> instant(long seconds, long nanos) {
        return nanos == ABSENT ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }

    private long mediaTypeNumber(Optional<String> type) {
        if (type.isEmpty()) {
            return 0;
        }
        String text = type.get();
        Integer number = mediaTypeNumbers.get(text);
        if (number == null) {
            if (mediaTypes.size() == 0xfff_fffe) {
                throw new OutOfMemoryError("more distinct media types than an image row holds");
            }
            mediaTypes.add(text);
            number = mediaTypes.size();
            mediaTypeNumbers.put(text, number);
        }
        return number;
    }

    private Optional<String> mediaType(long number) {
        return number == 0 ? Optional.empty() : Optional.of(mediaTypes.get((int) number - 1));
    }

    /** Writes the tags into the current text chunk (a new one when they don't fit) and returns where they are. */
    private long putTags(List<Tag> tags) {
        int needed = 4;
        for (int t = 0; t < tags.size(); t++) {
            needed = Math.addExact(needed, 2 + tags.get(t).value().length());
        }
        if (textSize + needed > TEXT_CHUNK) {
            tagText.add(new byte[Math.max(TEXT_CHUNK, needed)]);
            textSize = 0;
        }
        byte[] chunk = tagText.get(tagText.size() - 1);
        long address = (long) (tagText.size() - 1) << 32 | textSize;
        int at = textSize;
        at = putShort(chunk, at, tags.size() >>> 16);
        at = putShort(chunk, at, tags.size() & 0xffff);
        for (int t = 0; t < tags.size(); t++) {
            String value = tags.get(t).value();
            at = putShort(chunk, at, value.length());
            for (int i = 0; i < value.length(); i++) {
                chunk[at++] = (byte) value.charAt(i); // a tag is ASCII: Tag checked it
            }
        }
        textSize = at;
        return address;
    }

    private List<Tag> tags(long address) {
        byte[] chunk = tagText.get((int) (address >>> 32));
        int at = (int) address;
        int count = getShort(chunk, at) << 16 | getShort(chunk, at + 2);
        at += 4;
        if (count == 0) {
            return List.of();
        }
        Tag[] tags = new Tag[count];
        for (int t = 0; t < count; t++) {
            int length = getShort(chunk, at);
            tags[t] = Tag.of(new String(chunk, at + 2, length, StandardCharsets.ISO_8859_1));
            at += 2 + length;
        }
        return List.of(tags);
    }

    private static int putShort(byte[] chunk, int at, int value) {
        chunk[at] = (byte) (value >>> 8);
        chunk[at + 1] = (byte) value;
        return at + 2;
    }

    private static int getShort(byte[] chunk, int at) {
        return (chunk[at] & 0xff) << 8 | chunk[at + 1] & 0xff;
    }
}
