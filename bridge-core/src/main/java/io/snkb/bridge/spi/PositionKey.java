package io.snkb.bridge.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one stored position: a stream of changes read from one table of one ServiceNow instance.
 * {@code stream} tells apart several positions kept for the same table, for example {@code records}
 * for the table's own rows and {@code deletes} for its entries in {@code sys_audit_delete}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param instance the configured instance name
 * @param table    the ServiceNow table name
 * @param stream   which position of that table
 */
public record PositionKey(String instance, String table, String stream) {
    /** The stream of a table's own records, read by the incremental poller. */
    public static final String RECORDS = "records";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:-]+");

    public PositionKey {
        requireSafe("instance", instance);
        requireSafe("table", table);
        requireSafe("stream", stream);
    }

    /** The key of the records stream of a table. */
    public static PositionKey records(String instance, String table) {
        return new PositionKey(instance, table, RECORDS);
    }

    /** A stable text form, {@code instance/table/stream}, usable as a file or Kafka record key. */
    public String asString() {
        return instance + "/" + table + "/" + stream;
    }

    /** Parses what {@link #asString()} produced. */
    public static PositionKey parse(String text) {
        String[] parts = Objects.requireNonNull(text, "text").split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a position key (instance/table/stream): " + text);
        }
        return new PositionKey(parts[0], parts[1], parts[2]);
    }

    private static void requireSafe(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "Invalid " + what + " '" + value + "': use letters, digits, '_', '.', ':' or '-'");
        }
    }
}
