package io.snkb.bridge.internal.source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers which version of each row was last emitted, so that rows read again inside the re-read
 * window are not sent twice. Bounded: entries older than the window are pruned, and beyond
 * {@code capacity} the least recently emitted are evicted. Losing an entry can only cause a duplicate,
 * never a loss.
 *
 * <p>Not thread-safe: owned by one poller thread.
 */
final class DedupeCache {
    private final int capacity;
    private final LinkedHashMap<String, Entry> emitted;

    /** The version of a row as far as this cache can tell: its raw update stamp and mod count. */
    record Version(String updatedOn, String modCount) {
    }

    private record Entry(Version version, Instant updatedOn) {
    }

    DedupeCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.emitted = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > DedupeCache.this.capacity;
            }
        };
    }

    /** Whether exactly this version of the row was emitted already. */
    boolean contains(String sysId, Version version) {
        Entry entry = emitted.get(sysId);
        return entry != null && entry.version().equals(version);
    }

    /** Records that {@code version} of the row, updated at {@code updatedOn}, was emitted. */
    void remember(String sysId, Version version, Instant updatedOn) {
        // Re-inserting moves the row to the young end, so eviction takes the longest unchanged rows.
        emitted.remove(sysId);
        emitted.put(sysId, new Entry(Objects.requireNonNull(version, "version"), updatedOn));
    }

    /** Forgets rows updated before {@code bound}: no later read of the window returns them unchanged. */
    void pruneBefore(Instant bound) {
        if (bound != null) {
            emitted.values().removeIf(entry -> entry.updatedOn().isBefore(bound));
        }
    }

    /** Forgets row {@code sysId}, e.g. once it was deleted. */
    void forget(String sysId) {
        emitted.remove(sysId);
    }

    void clear() {
        emitted.clear();
    }

    int size() {
        return emitted.size();
    }
}
