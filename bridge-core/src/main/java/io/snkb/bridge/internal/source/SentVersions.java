package io.snkb.bridge.internal.source;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What reconciliation compares ServiceNow with: for each row sent lately, its {@code sys_mod_count} and
 * {@code sys_updated_on} as last sent. Bounded to {@code capacity} rows: beyond it the longest-unchanged rows are
 * forgotten, and {@link #coveredFrom()} moves past them, so that a pass only compares the span this record still
 * covers completely (a forgotten row would otherwise look unsent). After a start it covers nothing before the
 * stored position: rows sent by an earlier run are unknown to it.
 *
 * <p>About 150 bytes a row: 100,000 rows take some 15 MB. Not thread-safe: owned by one poller thread.
 */
final class SentVersions {
    private final int capacity;
    private final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>();
    private Instant coveredFrom;

    /** The version of a row as sent. */
    record Sent(String modCount, Instant updatedOn) {
    }

    SentVersions(int capacity, Instant coveredFrom) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.coveredFrom = coveredFrom;
    }

    /** Row {@code sysId} was sent with {@code modCount}, updated at {@code updatedOn}. */
    void sent(String sysId, String modCount, Instant updatedOn) {
        sent.remove(sysId);
        sent.put(sysId, new Sent(modCount, Objects.requireNonNull(updatedOn, "updatedOn")));
        if (sent.size() > capacity) {
            Iterator<Map.Entry<String, Sent>> eldest = sent.entrySet().iterator();
            Instant forgotten = eldest.next().getValue().updatedOn();
            eldest.remove();
            // Rows of that second or before may no longer all be known.
            Instant next = forgotten.plusSeconds(1);
            coveredFrom = coveredFrom == null || next.isAfter(coveredFrom) ? next : coveredFrom;
        }
    }

    /** Row {@code sysId} was deleted downstream: there is nothing left to compare. */
    void deleted(String sysId) {
        sent.remove(sysId);
    }

    Sent get(String sysId) {
        return sent.get(sysId);
    }

    /** The earliest {@code sys_updated_on} from which every row sent is known; {@code null}: from the start. */
    Instant coveredFrom() {
        return coveredFrom;
    }

    /** The rows sent with a {@code sys_updated_on} from {@code from} to {@code to}, both included. */
    Map<String, Sent> between(Instant from, Instant to) {
        Map<String, Sent> found = new LinkedHashMap<>();
        sent.forEach((sysId, version) -> {
            if (!version.updatedOn().isBefore(from) && !version.updatedOn().isAfter(to)) {
                found.put(sysId, version);
            }
        });
        return found;
    }

    /** Forgets rows updated before {@code bound}: no pass compares them any more. */
    void pruneBefore(Instant bound) {
        sent.values().removeIf(version -> version.updatedOn().isBefore(bound));
    }

    int size() {
        return sent.size();
    }
}
