package io.snkb.testkit.servicenow;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Rows of one table in the text order of one column's raw values ({@code ""} where a row has none), rows with
 * equal values in {@code sys_id} order. Not thread-safe: used under the owning table's lock.
 */
interface RowIndex {

    /** The column the rows are ordered by. */
    String field();

    /**
     * Visits the rows whose value is in {@code range}, in value order ({@code descending} reverses it) and equal
     * values in {@code sys_id} order ({@code tiesDescending} reverses that), until {@code visitor} answers false.
     */
    void walk(ValueRange range, boolean descending, boolean tiesDescending, Predicate<Map<String, String>> visitor);

    /** Whether a query orders these values as text does, so that this index is in query order. */
    boolean ordersAsText();

    /** Whether a query compares {@code literal} with these values as text does, so that it may bound a walk. */
    boolean comparesAsText(String literal);

    /** How many rows have exactly {@code value}. */
    int count(String value);
}
