package io.snkb.bridge.internal.source;

import java.time.Instant;

/**
 * The latest date-time an instance was seen to stamp a row with, by any read of one table (its rows, its entries in
 * {@code sys_audit_delete}) or in a stored position: the instance's clock had passed it by then. A
 * {@link KeysetScan} needs to know whether the clock had left a repeated hour before it read that hour. Not
 * thread-safe: shared by the scans of one table's poller thread.
 */
final class LatestStamp {
    private Instant latest;

    /** A row stamped {@code time} was read. */
    void saw(Instant time) {
        if (latest == null || time.isAfter(latest)) {
            latest = time;
        }
    }

    /** Whether a row stamped at or after {@code time} was seen. */
    boolean reached(Instant time) {
        return latest != null && !latest.isBefore(time);
    }
}
