package io.snkb.testkit.servicenow;

import java.util.Map;
import java.util.Optional;

/**
 * Resolves field names, including dot-walked ones such as {@code caller_id.name}, against a row: each segment
 * before the last must be a reference column, followed to the referenced row. Stateless.
 */
final class FieldPaths {

    private FieldPaths() {
    }

    static boolean isKnown(SimDatabase db, SimTable table, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return table.hasColumn(path);
        }
        Optional<String> ref = table.referencedTable(path.substring(0, dot));
        return ref.isPresent() && isKnown(db, db.table(ref.get()), path.substring(dot + 1));
    }

    /** The raw value at {@code path}, or null when a step is missing. */
    static String resolve(SimDatabase db, SimTable table, Map<String, String> row, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return row.get(path);
        }
        String head = path.substring(0, dot);
        Optional<String> refTable = table.referencedTable(head);
        String refId = row.get(head);
        if (refTable.isEmpty() || refId == null || refId.isEmpty()) {
            return null;
        }
        Optional<SimTable> target = db.existing(refTable.get());
        return target.flatMap(t -> t.get(refId))
                .map(referenced -> resolve(db, target.get(), referenced, path.substring(dot + 1)))
                .orElse(null);
    }

    /** The table holding the last segment of {@code path}. */
    static SimTable ownerOf(SimDatabase db, SimTable table, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return table;
        }
        return table.referencedTable(path.substring(0, dot))
                .map(ref -> ownerOf(db, db.table(ref), path.substring(dot + 1)))
                .orElse(table);
    }

    static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
