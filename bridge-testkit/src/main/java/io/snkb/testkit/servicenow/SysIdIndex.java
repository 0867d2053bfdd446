package io.snkb.testkit.servicenow;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A table's rows by {@code sys_id}: where its rows are kept, and the {@link RowIndex} of queries without
 * {@code ORDERBY} or ordered by {@code sys_id}. Not thread-safe: guarded by the owning table's lock.
 */
final class SysIdIndex implements RowIndex {

    private final TreeMap<String, Map<String, String>> rows = new TreeMap<>();
    private final IntegerValues integers = new IntegerValues();

    Map<String, String> get(String sysId) {
        return rows.get(sysId);
    }

    boolean contains(String sysId) {
        return rows.containsKey(sysId);
    }

    /** Stores {@code row} under its {@code sys_id}; answers the row it replaces, or null. */
    Map<String, String> put(Map<String, String> row) {
        Map<String, String> previous = rows.put(row.get("sys_id"), row);
        if (previous == null) {
            integers.add(row.get("sys_id"));
        }
        return previous;
    }

    /** Removes the row {@code sysId}; answers it, or null when there was none. */
    Map<String, String> remove(String sysId) {
        Map<String, String> removed = rows.remove(sysId);
        if (removed != null) {
            integers.remove(sysId);
        }
        return removed;
    }

    Collection<Map<String, String>> values() {
        return rows.values();
    }

    int size() {
        return rows.size();
    }

    @Override
    public String field() {
        return "sys_id";
    }

    /** {@inheritDoc} No two rows share a {@code sys_id}, so {@code tiesDescending} changes nothing. */
    @Override
    public void walk(ValueRange range, boolean descending, boolean tiesDescending,
            Predicate<Map<String, String>> visitor) {
        for (Map<String, String> row : (descending ? range.of(rows).descendingMap() : range.of(rows)).values()) {
            if (!visitor.test(row)) {
                return;
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
        return rows.containsKey(value) ? 1 : 0;
    }
}
