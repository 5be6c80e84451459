package dev.ecrdigestguard.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A map that keeps at most {@code capacity} entries and drops the least recently used one when full, handing it to
 * {@code onEvict} (to close an SDK client). A guard for an organization meets as many accounts and regions as the
 * organization has; a warm Lambda environment lives for hours, so what it keeps per account must be bounded.
 */
final class BoundedCache<K, V> {

    private final int capacity;
    private final Consumer<V> onEvict;
    private final LinkedHashMap<K, V> entries;

    BoundedCache(int capacity, Consumer<V> onEvict) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.onEvict = Objects.requireNonNull(onEvict, "onEvict");
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * The value for {@code key}, created with {@code create} when absent. Creation runs under the lock, so two
     * callers never build the same client twice; it must not call back into this cache.
     */
    synchronized V get(K key, Function<K, V> create) {
        V value = entries.get(key);
        if (value == null) {
            value = Objects.requireNonNull(create.apply(key), "created value");
            entries.put(key, value);
            if (entries.size() > capacity) {
                Map.Entry<K, V> eldest = entries.entrySet().iterator().next();
                entries.remove(eldest.getKey());
                onEvict.accept(eldest.getValue());
            }
        }
        return value;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Drops every entry, handing each to {@code onEvict}. */
    synchronized void clear() {
        entries.values().forEach(onEvict);
        entries.clear();
    }
}
