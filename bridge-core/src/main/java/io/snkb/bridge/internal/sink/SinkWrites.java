package io.snkb.bridge.internal.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row versions the sink itself produced: instance, table, {@code sys_id} and the {@code sys_mod_count}
 * ServiceNow answered the write with. The sink's conflict check asks it to tell its own earlier writes from
 * changes made by someone else. The source asks it to skip the versions written from snkb change events:
 * those changes are in Kafka already, under the table they were read from, and sending them again would
 * echo them back and forth in two-way sync. A version written from any other record (an alert, a deploy)
 * is news to Kafka and is sent like any change.
 *
 * <p>A write is announced before its request goes out and settled when its answer is in: a poller that
 * reads the row in between waits for the answer, so that it never mistakes the sink's write for a new
 * change. Creates therefore choose their {@code sys_id} before sending.
 *
 * <p>Bounded: the oldest versions are dropped beyond {@code capacity}, and they live in memory only, so a
 * version written just before a restart may still come out of the source once. Thread-safe.
 */
public final class SinkWrites {
    private final int capacity;
    private final Map<String, Version> versions;
    private final Map<String, Integer> pending = new HashMap<>();

    public SinkWrites(int capacity) {
        this.capacity = capacity;
        this.versions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Version> eldest) {
                return size() > SinkWrites.this.capacity;
            }
        };
    }

    /** A write of row {@code sysId} is about to be sent; {@link #settled} must follow, whatever happens. */
    public synchronized void writing(String instance, String table, String sysId) {
        pending.merge(key(instance, table, sysId), 1, Integer::sum);
    }

    /**
     * The write announced by {@link #writing} is over: it left the row at {@code modCount}, or failed
     * ({@code null}); a deleted row is forgotten with {@code deleted}. {@code fromChangeEvent}: the record
     * written was a snkb change event, whose version the source must not send again.
     */
    public synchronized void settled(String instance, String table, String sysId, String modCount, boolean deleted,
                                     boolean fromChangeEvent) {
        String key = key(instance, table, sysId);
        if (deleted) {
            versions.remove(key);
        } else if (modCount != null) {
            versions.put(key, new Version(modCount, fromChangeEvent));
        }
        pending.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        notifyAll();
    }

    /** Whether the sink's own write left row {@code sysId} at {@code modCount}. */
    public synchronized boolean isOwn(String instance, String table, String sysId, String modCount) {
        Version own = versions.get(key(instance, table, sysId));
        return modCount != null && own != null && modCount.equals(own.modCount());
    }

    /**
     * Whether the source must not send row {@code sysId} at {@code modCount}: the sink wrote that version
     * from a snkb change event. First waits up to {@code maxWait} while a write of the row is under way,
     * whose answer would tell.
     */
    public synchronized boolean isEcho(String instance, String table, String sysId, String modCount,
                                       Duration maxWait) throws InterruptedException {
        String key = key(instance, table, sysId);
        long deadline = System.nanoTime() + maxWait.toNanos();
        long left;
        while (pending.containsKey(key) && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
        Version own = versions.get(key);
        return isOwn(instance, table, sysId, modCount) && own.fromChangeEvent();
    }

    private record Version(String modCount, boolean fromChangeEvent) {
    }

    private static String key(String instance, String table, String sysId) {
        return instance + '\u0000' + table + '\u0000' + sysId;
    }
}
