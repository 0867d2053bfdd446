package io.snkb.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One table read from an instance into Kafka. Per-table values have already been defaulted from
 * {@link SourceConfig}. Immutable.
 *
 * @param name         the ServiceNow table, e.g. {@code incident}
 * @param topic        the Kafka topic its changes go to
 * @param fields       the fields to read; empty means all fields. The cursor fields
 *                     ({@code sys_id}, {@code sys_updated_on}, {@code sys_mod_count}) are always read.
 * @param query        an encoded query ANDed to every read, or empty for the whole table
 * @param pageSize     rows per request, 1 to 10000
 * @param pollInterval the pause between two polls once caught up
 * @param rereadWindow how far behind the cursor each poll reads again, to catch late commits
 * @param deletes      whether deletes are read from {@code sys_audit_delete} and sent as delete events
 * @param tombstones   whether each delete event is followed by a tombstone (same key, {@code null} value)
 * @param reconcileInterval how often the table is reconciled with what was sent; zero: never
 * @param reconcileRange    how far back, in {@code sys_updated_on}, a reconciliation pass compares
 */
public record TableConfig(String name, String topic, List<String> fields, String query, int pageSize,
                          Duration pollInterval, Duration rereadWindow, boolean deletes, boolean tombstones,
                          Duration reconcileInterval, Duration reconcileRange) {

    /** The default of {@code reconcile-range}. */
    public static final Duration DEFAULT_RECONCILE_RANGE = Duration.ofDays(1);

    public TableConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        fields = List.copyOf(fields);
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(rereadWindow, "rereadWindow");
        Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        Objects.requireNonNull(reconcileRange, "reconcileRange");
    }

    /** A table with deletes and tombstones on and reconciliation off, the defaults. */
    public TableConfig(String name, String topic, List<String> fields, String query, int pageSize,
                       Duration pollInterval, Duration rereadWindow) {
        this(name, topic, fields, query, pageSize, pollInterval, rereadWindow, true, true, Duration.ZERO,
                DEFAULT_RECONCILE_RANGE);
    }

    /** This table with deletes read or not, and tombstones sent or not. */
    public TableConfig withDeletes(boolean readDeletes, boolean sendTombstones) {
        return new TableConfig(name, topic, fields, query, pageSize, pollInterval, rereadWindow, readDeletes,
                sendTombstones, reconcileInterval, reconcileRange);
    }

    /** This table reconciled every {@code interval} over the last {@code range}. */
    public TableConfig withReconciliation(Duration interval, Duration range) {
        return new TableConfig(name, topic, fields, query, pageSize, pollInterval, rereadWindow, deletes,
                tombstones, interval, range);
    }

    /** Whether periodic reconciliation is on. */
    public boolean reconciles() {
        return !reconcileInterval.isZero();
    }
}
