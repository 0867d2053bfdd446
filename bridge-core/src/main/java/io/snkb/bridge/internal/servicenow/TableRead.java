package io.snkb.bridge.internal.servicenow;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One page request against the Table API. Immutable.
 *
 * @param table  the table, e.g. {@code incident}
 * @param query  the encoded query, ordering included
 * @param fields the fields to return; empty for all
 * @param limit  the page size, 1 to 10000
 * @param offset rows of the query's order to pass over first ({@code sysparm_offset}); 0 but to step over
 *               pages that row-level ACLs hid entirely
 */
public record TableRead(String table, String query, List<String> fields, int limit, long offset) {

    /** The fields every incremental read needs, whatever the table's field list says. */
    public static final List<String> CURSOR_FIELDS =
            List.of("sys_id", "sys_updated_on", "sys_mod_count", "sys_created_on");

    public TableRead {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(query, "query");
        fields = List.copyOf(fields);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
    }

    /** A read of the first {@code limit} rows. */
    public TableRead(String table, String query, List<String> fields, int limit) {
        this(table, query, fields, limit, 0);
    }

    /**
     * The configured fields plus the cursor fields, without repeats; empty (all fields) when none are
     * configured.
     */
    public static List<String> withCursorFields(List<String> configured) {
        if (configured.isEmpty()) {
            return List.of();
        }
        Set<String> fields = new LinkedHashSet<>(configured);
        fields.addAll(CURSOR_FIELDS);
        return List.copyOf(fields);
    }
}
