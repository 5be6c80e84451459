package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Images waiting for their rank, packed into primitive columns: an {@link ImageRecord} with its digest, tags, instants
 * and optionals costs about 400 bytes of objects, the same image here about 70 bytes plus its tags' characters. Only
 * the images a count rule decides wait, so this is what lets {@link StreamingEvaluation} hold a million of them in a
 * small heap. The caller keeps the digest (it needs it to rank the image anyway); index children are not stored.
 */
final class PendingImages {

    private static final int NONE = -1;
    static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final StorageClass[] STORAGE_CLASSES = StorageClass.values();

    private int size;
    private long[] pushedSeconds = new long[16];
    private int[] pushedNanos = new int[16];
    /** lastPulledAt, lastArchivedAt, lastActivatedAt: three per image; nanos NONE when absent. */
    private long[] otherSeconds = new long[48];
    private int[] otherNanos = new int[48];
    private byte[] storageClass = new byte[16];
    /** manifest and artifact media type: two per image, an index into {@link #mediaTypes} or NONE. */
    private int[] mediaType = new int[32];
    /**
     * Where each image's tags start in {@link #tagText}: their count in four bytes, then per tag its length in two (a
     * tag has at most 300 characters) and its ASCII characters.
     */
    private int[] tagsAt = new int[16];
    private byte[] tagText = new byte[256];
    private int tagTextSize;
    private final List<String> mediaTypes = new ArrayList<>();
    private final Map<String, Integer> mediaTypeIndex = new HashMap<>();

    /** Stores the image and returns its slot. */
    int add(ImageRecord image) {
        if (size == pushedSeconds.length) {
            grow();
        }
        int slot = size++;
        pushedSeconds[slot] = image.pushedAt().getEpochSecond();
        pushedNanos[slot] = image.pushedAt().getNano();
        putInstant(3 * slot, image.lastPulledAt());
        putInstant(3 * slot + 1, image.lastArchivedAt());
        putInstant(3 * slot + 2, image.lastActivatedAt());
        storageClass[slot] = (byte) image.storageClass().ordinal();
        mediaType[2 * slot] = mediaTypeNumber(image.manifestMediaType());
        mediaType[2 * slot + 1] = mediaTypeNumber(image.artifactMediaType());
        tagsAt[slot] = tagTextSize;
        putTags(image.tags());
        return slot;
    }

    /** The image stored in {@code slot}, equal to the one given to {@link #add}. */
    ImageRecord get(int slot, Digest digest) {
        return new ImageRecord(digest, tags(slot), Instant.ofEpochSecond(pushedSeconds[slot], pushedNanos[slot]),
                instant(3 * slot), STORAGE_CLASSES[storageClass[slot]], instant(3 * slot + 1),
                instant(3 * slot + 2), mediaType(2 * slot), mediaType(2 * slot + 1), List.of());
    }

    /**
     * Puts the images in the order of {@code slots} (a permutation of the slots): afterwards slot {@code j} holds the
     * image that was in slot {@code slots[j]}. Done a column at a time, so reading them in that order is sequential.
     */
    void reorder(int[] slots) {
        if (slots.length != size) {
            throw new IllegalArgumentException(slots.length + " slots for " + size + " images");
        }
        pushedSeconds = gather(pushedSeconds, slots, 1);
        pushedNanos = gather(pushedNanos, slots, 1);
        otherSeconds = gather(otherSeconds, slots, 3);
        otherNanos = gather(otherNanos, slots, 3);
        mediaType = gather(mediaType, slots, 2);
        byte[] classes = new byte[size];
        int[] tagStarts = new int[size];
        byte[] text = new byte[tagTextSize];
        int textSize = 0;
        for (int j = 0; j < size; j++) {
            classes[j] = storageClass[slots[j]];
            int from = tagsAt[slots[j]];
            int length = tagsLength(from);
            System.arraycopy(tagText, from, text, textSize, length);
            tagStarts[j] = textSize;
            textSize += length;
        }
        storageClass = classes;
        tagsAt = tagStarts;
        tagText = text;
    }

    private static long[] gather(long[] column, int[] slots, int width) {
        long[] ordered = new long[slots.length * width];
        for (int j = 0; j < slots.length; j++) {
            System.arraycopy(column, slots[j] * width, ordered, j * width, width);
        }
        return ordered;
    }

    private static int[] gather(int[] column, int[] slots, int width) {
        int[] ordered = new int[slots.length * width];
        for (int j = 0; j < slots.length; j++) {
            System.arraycopy(column, slots[j] * width, ordered, j * width, width);
        }
        return ordered;
    }

    /** Bytes of one image's tags in {@link #tagText}, starting at {@code from}. */
    private int tagsLength(int from) {
        int count = (getShort(from) << 16) | getShort(from + 2);
        int at = from + 4;
        for (int t = 0; t < count; t++) {
            at += 2 + getShort(at);
        }
        return at - from;
    }

    private void putInstant(int at, Optional<Instant> instant) {
        otherSeconds[at] = instant.isPresent() ? instant.get().getEpochSecond() : 0;
        otherNanos[at] = instant.isPresent() ? instant.get().getNano() : NONE;
    }

    private Optional<Instant> instant(int at) {
        return otherNanos[at] == NONE ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(otherSeconds[at], otherNanos[at]));
    }

    private int mediaTypeNumber(Optional<String> type) {
        if (type.isEmpty()) {
            return NONE;
        }
        String text = type.get();
        Integer number = mediaTypeIndex.get(text);
        if (number == null) {
            number = mediaTypes.size();
            mediaTypes.add(text);
            mediaTypeIndex.put(text, number);
        }
        return number;
    }

    private Optional<String> mediaType(int at) {
        return mediaType[at] == NONE ? Optional.empty() : Optional.of(mediaTypes.get(mediaType[at]));
    }

    private void putTags(List<Tag> tags) {
        long needed = 4;
        for (int t = 0; t < tags.size(); t++) {
            needed += 2 + tags.get(t).value().length();
        }
        if (tagTextSize + needed > tagText.length) {
            tagText = Arrays.copyOf(tagText, capacity(tagText.length, tagTextSize + needed, MAX_ARRAY));
        }
        putShort(tags.size() >>> 16);
        putShort(tags.size() & 0xffff);
        for (int t = 0; t < tags.size(); t++) {
            String value = tags.get(t).value();
            putShort(value.length());
            for (int i = 0; i < value.length(); i++) {
                tagText[tagTextSize++] = (byte) value.charAt(i); // a tag is ASCII: Tag checked it
            }
        }
    }

    private List<Tag> tags(int slot) {
        int at = tagsAt[slot];
        int count = (getShort(at) << 16) | getShort(at + 2);
        at += 4;
        if (count == 0) {
            return List.of();
        }
        Tag[] tags = new Tag[count];
        for (int t = 0; t < count; t++) {
            int length = getShort(at);
            tags[t] = Tag.of(new String(tagText, at + 2, length, StandardCharsets.ISO_8859_1));
            at += 2 + length;
        }
        return List.of(tags);
    }

    private void putShort(int value) {
        tagText[tagTextSize++] = (byte) (value >>> 8);
        tagText[tagTextSize++] = (byte) value;
    }

    private int getShort(int at) {
        return ((tagText[at] & 0xff) << 8) | (tagText[at + 1] & 0xff);
    }

    private void grow() {
        int capacity = capacity(size, size + 1, MAX_ARRAY / 3);
        pushedSeconds = Arrays.copyOf(pushedSeconds, capacity);
        pushedNanos = Arrays.copyOf(pushedNanos, capacity);
        otherSeconds = Arrays.copyOf(otherSeconds, 3 * capacity);
        otherNanos = Arrays.copyOf(otherNanos, 3 * capacity);
        storageClass = Arrays.copyOf(storageClass, capacity);
        mediaType = Arrays.copyOf(mediaType, 2 * capacity);
        tagsAt = Arrays.copyOf(tagsAt, capacity);
    }

    /** Half as much again, at least {@code needed}; more than {@code limit} is more than the arrays can hold. */
    static int capacity(int current, long needed, int limit) {
        long grown = Math.min(Math.max(needed, current + (current >> 1) + 16L), limit);
        if (grown < needed) {
            throw new OutOfMemoryError("more images waiting for their rank than an array holds");
        }
        return (int) grown;
    }
}
