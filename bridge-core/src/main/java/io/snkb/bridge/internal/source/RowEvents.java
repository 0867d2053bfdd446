package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.util.Map;

/**
 * Turns rows read by the poller into positions and change events. Stateless and thread-safe.
 */
final class RowEvents {
    static final String READ_MODE = "poll";
    static final String BACKFILL_MODE = "backfill";

    private RowEvents() {
    }

    /**
     * The keyset position of {@code row}. A row without a readable {@code sys_id} or
     * {@code sys_updated_on} cannot be placed in the keyset; skipping it would lose it, so the table fails.
     */
    static Position positionOf(String instance, String table, Map<String, String> row) {
        String sysId = row.get("sys_id");
        String updatedOn = row.get("sys_updated_on");
        if (sysId == null || sysId.isEmpty() || updatedOn == null || updatedOn.isEmpty()) {
            throw new FatalServiceNowException(instance, table, 200, "a row lacks sys_id or sys_updated_on; "
                    + "the integration user needs read access to both (row sys_id: " + sysId + ")", null);
        }
        try {
            return new Position(ServiceNowTime.parse(updatedOn), sysId);
        } catch (IllegalArgumentException e) {
            throw new FatalServiceNowException(instance, table, 200, "row " + sysId + " has sys_updated_on '"
                    + updatedOn + "', not a raw date-time; are display values switched on?", e);
        }
    }

    /** The create or update event of a row read by a poll. */
    static ChangeEvent eventOf(String instance, String table, Map<String, String> row, Instant updatedOn) {
        return eventOf(instance, table, row, updatedOn, READ_MODE);
    }

    /** The create or update event of a row read as {@code readMode} tells. */
    static ChangeEvent eventOf(String instance, String table, Map<String, String> row, Instant updatedOn,
                               String readMode) {
        String modCount = row.get("sys_mod_count");
        ChangeEvent.SourceInfo source =
                new ChangeEvent.SourceInfo(instance, table, row.get("sys_updated_on"), modCount, readMode);
        return new ChangeEvent(opOf(row), row.get("sys_id"), row, source, updatedOn);
    }

    /** The read event ({@code op} {@code r}) of a row copied by a backfill. */
    static ChangeEvent backfillEventOf(String instance, String table, Map<String, String> row, Instant updatedOn) {
        ChangeEvent.SourceInfo source = new ChangeEvent.SourceInfo(instance, table, row.get("sys_updated_on"),
                row.get("sys_mod_count"), BACKFILL_MODE);
        return new ChangeEvent(ChangeEvent.Op.READ, row.get("sys_id"), row, source, updatedOn);
    }

    /**
     * A row never modified since its creation is a create: {@code sys_mod_count} 0, or, when the mod count
     * is not readable, a creation time equal to the update time.
     */
    static ChangeEvent.Op opOf(Map<String, String> row) {
        String modCount = row.get("sys_mod_count");
        if (modCount != null && !modCount.isEmpty()) {
            return "0".equals(modCount.trim()) ? ChangeEvent.Op.CREATE : ChangeEvent.Op.UPDATE;
        }
        String created = row.get("sys_created_on");
        return created != null && created.equals(row.get("sys_updated_on"))
                ? ChangeEvent.Op.CREATE : ChangeEvent.Op.UPDATE;
    }

    /** The version the dedupe cache compares. */
    static DedupeCache.Version versionOf(Map<String, String> row) {
        return new DedupeCache.Version(row.get("sys_updated_on"), row.get("sys_mod_count"));
    }
}
