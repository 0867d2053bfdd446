package io.snkb.bridge.internal.sink;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row versions the sink itself produced: instance, table, {@code sys_id} and the {@code sys_mod_count}
 * ServiceNow answered the write with. The source asks it to skip those versions (they would echo back into
 * Kafka as new changes), and the sink's conflict check to tell its own earlier writes from changes made by
 * someone else.
 *
 * <p>Bounded: the oldest entries are dropped beyond {@code capacity}, and entries live in memory only, so
 * a version written just before a restart may still come out of the source once. Thread-safe.
 */
public final class SinkWrites {
    private final int capacity;
    private final Map<String, String> versions;

    public SinkWrites(int capacity) {
        this.capacity = capacity;
        this.versions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > SinkWrites.this.capacity;
            }
        };
    }

    /** Remembers that the sink left row {@code sysId} at {@code modCount}. */
    public synchronized void wrote(String instance, String table, String sysId, String modCount) {
        if (sysId != null && modCount != null) {
            versions.put(key(instance, table, sysId), modCount);
        }
    }

    /** Whether the sink's own write left row {@code sysId} at {@code modCount}. */
    public synchronized boolean isOwn(String instance, String table, String sysId, String modCount) {
        return modCount != null && modCount.equals(versions.get(key(instance, table, sysId)));
    }

    /** Forgets a deleted row. */
    public synchronized void deleted(String instance, String table, String sysId) {
        versions.remove(key(instance, table, sysId));
    }

    private static String key(String instance, String table, String sysId) {
        return instance + '\u0000' + table + '\u0000' + sysId;
    }
}
