package io.snkb.bridge.internal.sink;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kafka record read as a change to write. Immutable.
 *
 * @param delete         whether the target row is to be deleted (a tombstone, or an event with op {@code d})
 * @param fields         the field values the record carries, {@code sys_*} included as given
 * @param sysId          the target row's {@code sys_id} when the record names one, else {@code null}
 * @param sourceInstance the instance a snkb change event was read from, else {@code null}
 * @param sourceTable    the table a snkb change event was read from, else {@code null}
 * @param eventTime      when the change happened at its source (the record's timestamp when it says nothing)
 * @param recordSysId    the {@code sys_id} a create of this record chooses when it does not use {@code sysId}:
 *                       derived from the record itself, so that the record delivered again chooses the same
 */
record SinkEvent(boolean delete, Map<String, String> fields, String sysId, String sourceInstance,
                 String sourceTable, Instant eventTime, String recordSysId) {

    SinkEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Whether the record is a snkb change event, read from some ServiceNow table by snkb's source. */
    boolean isChangeEvent() {
        return sourceInstance != null;
    }

    /** Whether the record came out of {@code instance}/{@code table} through snkb's own source. */
    boolean cameFrom(String instance, String table) {
        return instance.equals(sourceInstance) && table.equals(sourceTable);
    }
}
