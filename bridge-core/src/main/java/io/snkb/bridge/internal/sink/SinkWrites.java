package io.snkb.bridge.internal.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row versions the sink itself produced: instance, table, {@code sys_id} and the {@code sys_mod_count}
 * ServiceNow answered the write with. The source asks it to skip those versions (they would echo back into
 * Kafka as new changes), and the sink's conflict check to tell its own earlier writes from changes made by
 * someone else.
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
    private final Map<String, String> versions;
    private final Map<String, Integer> pending = new HashMap<>();

    public SinkWrites(int capacity) {
        this.capacity = capacity;
        this.versions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
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
     * ({@code null}); a deleted row is forgotten with {@code deleted}.
     */
    public synchronized void settled(String instance, String table, String sysId, String modCount, boolean deleted) {
        String key = key(instance, table, sysId);
        if (deleted) {
            versions.remove(key);
        } else if (modCount != null) {
            versions.put(key, modCount);
        }
        pending.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        notifyAll();
    }

    /** Whether the sink's own write left row {@code sysId} at {@code modCount}. */
    public synchronized boolean isOwn(String instance, String table, String sysId, String modCount) {
        return modCount != null && modCount.equals(versions.get(key(instance, table, sysId)));
    }

    /**
     * As {@link #isOwn}, first waiting up to {@code maxWait} while a write of the row is under way, whose
     * answer would tell.
     */
    public synchronized boolean isOwn(String instance, String table, String sysId, String modCount,
                                      Duration maxWait) throws InterruptedException {
        String key = key(instance, table, sysId);
        long deadline = System.nanoTime() + maxWait.toNanos();
        long left;
        while (pending.containsKey(key) && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
        return isOwn(instance, table, sysId, modCount);
    }

    private static String key(String instance, String table, String sysId) {
        return instance + '\u0000' + table + '\u0000' + sysId;
    }
}
