package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Position;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * The version the dedupe cache compares: the update stamp and the mod count. When the user may not read
     * {@code sys_mod_count} (ServiceNow then leaves the field out), a digest of the row's fields stands in for
     * it, so that two updates stamped in the same second still differ.
     */
    static DedupeCache.Version versionOf(Map<String, String> row) {
        String modCount = row.get("sys_mod_count");
        if (modCount == null || modCount.isEmpty()) {
            modCount = "content " + contentDigest(row);
        }
        return new DedupeCache.Version(row.get("sys_updated_on"), modCount);
    }

    /** A SHA-256 digest of the row's names and values in name order, a null value told from an empty one. */
    static String contentDigest(Map<String, String> row) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
        for (Map.Entry<String, String> field : new TreeMap<>(row).entrySet()) {
            update(sha, field.getKey());
            update(sha, field.getValue());
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /** Feeds {@code value} with its length first, so that no two sequences of values feed the same bytes. */
    private static void update(MessageDigest sha, String value) {
        if (value == null) {
            sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
