package io.snkb.testkit.servicenow;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@link RowIndex} on any column but {@code sys_id}, kept up to date by its table on every write, so that a
 * query ordered by or looking up that column walks the rows it needs instead of sorting or scanning the table.
 * Not thread-safe: guarded by the owning table's lock.
 */
final class FieldIndex implements RowIndex {

    private final String field;
    /** Value, then sys_id, to row. */
    private final TreeMap<String, TreeMap<String, Map<String, String>>> rows = new TreeMap<>();
    private final IntegerValues integers = new IntegerValues();

    FieldIndex(String field, Iterable<Map<String, String>> existing) {
        this.field = field;
        existing.forEach(this::add);
    }

    @Override
    public String field() {
        return field;
    }

    void add(Map<String, String> row) {
        String value = valueOf(row);
        rows.computeIfAbsent(value, v -> new TreeMap<>()).put(row.get("sys_id"), row);
        integers.add(value);
    }

    void remove(Map<String, String> row) {
        String value = valueOf(row);
        TreeMap<String, Map<String, String>> same = rows.get(value);
        if (same != null && same.remove(row.get("sys_id")) != null) {
            integers.remove(value);
            if (same.isEmpty()) {
                rows.remove(value);
            }
        }
    }

    @Override
    public void walk(ValueRange range, boolean descending, boolean tiesDescending,
            Predicate<Map<String, String>> visitor) {
        NavigableMap<String, TreeMap<String, Map<String, String>>> values = range.of(rows);
        for (TreeMap<String, Map<String, String>> same : (descending ? values.descendingMap() : values).values()) {
            for (Map<String, String> row : (tiesDescending ? same.descendingMap() : same).values()) {
                if (!visitor.test(row)) {
                    return;
                }
            }
        }
    }

    @Override
    public boolean ordersAsText() {
        return integers.orderAsText();
    }

    @Override
    public boolean comparesAsText(String literal) {
        return integers.compareAsText(literal);
    }

    @Override
    public int count(String value) {
        TreeMap<String, Map<String, String>> same = rows.get(value);
        return same == null ? 0 : same.size();
    }

    private String valueOf(Map<String, String> row) {
        String value = row.get(field);
        return value == null ? "" : value;
    }
}
