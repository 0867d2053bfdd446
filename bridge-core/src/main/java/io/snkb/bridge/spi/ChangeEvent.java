package io.snkb.bridge.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change of one ServiceNow row, as the source hands it to a {@link Serializer}.
 *
 * <p>Values are ServiceNow's raw values: every value is a string, or {@code null} where ServiceNow sent
 * {@code null}, which stays distinct from {@code ""}. Reference fields carry the referenced
 * {@code sys_id}. Immutable and thread-safe; the maps are {@link Row}s, kept as given when they are rows
 * already and immutable copies otherwise.
 *
 * @param op        what happened to the row
 * @param sysId     the row's {@code sys_id}, also the Kafka key
 * @param after     the row after the change; {@code null} for a delete
 * @param source    where and how the change was read
 * @param eventTime when the change happened in ServiceNow ({@code sys_updated_on}, or the delete time)
 * @param before    the row before the change, as far as it is known: for a delete, the fields the audit
 *                  record kept; {@code null} otherwise (the Table API has no earlier state of a row)
 */
public record ChangeEvent(Op op, String sysId, Map<String, String> after, SourceInfo source, Instant eventTime,
                          Map<String, String> before) {

    public ChangeEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(sysId, "sysId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventTime, "eventTime");
        after = after == null ? null : Row.copyOf(after);
        before = before == null ? null : Row.copyOf(before);
        if (after == null && op != Op.DELETE) {
            throw new IllegalArgumentException("Only a delete has no 'after' state (op " + op + ")");
        }
    }

    /** A change without a known earlier state: a create, an update or a read. */
    public ChangeEvent(Op op, String sysId, Map<String, String> after, SourceInfo source, Instant eventTime) {
        this(op, sysId, after, source, eventTime, null);
    }

    /** The delete of row {@code sysId}, whose last known state was {@code before}. */
    public static ChangeEvent delete(String sysId, Map<String, String> before, SourceInfo source,
                                     Instant eventTime) {
        return new ChangeEvent(Op.DELETE, sysId, null, source, eventTime, before);
    }

    /** The kind of change, with the one-letter codes of the Debezium envelope. */
    public enum Op {
        CREATE("c"), UPDATE("u"), DELETE("d"), READ("r");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        /** The one-letter code written into events: c, u, d or r. */
        public String code() {
            return code;
        }
    }

    /**
     * Origin of a change.
     *
     * @param instance     the configured instance name
     * @param table        the ServiceNow table
     * @param updatedOn    the row's raw {@code sys_updated_on} as ServiceNow sent it
     * @param modCount     the row's raw {@code sys_mod_count}, or {@code null} when not read
     * @param readMode     how it was read: {@code poll}, {@code backfill} or {@code audit}
     */
    public record SourceInfo(String instance, String table, String updatedOn, String modCount, String readMode) {
        public SourceInfo {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(readMode, "readMode");
        }
    }
}
