package io.snkb.testkit.servicenow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How {@link TableSearch} visits a table's rows for one query: an index walk in query order between the values
 * the conditions allow, a look-up of the rows having the values a column must have, or, when neither gives the
 * plain evaluation's answer, every row in {@code sys_id} order. Made and walked under the table's lock. Immutable.
 */
sealed interface SearchPlan {

    /** Visits the candidate rows in the plan's order until {@code visitor} answers false. */
    void walk(Predicate<Map<String, String>> visitor);

    /** True when the rows come in query order; otherwise they come in {@code sys_id} order. */
    boolean inQueryOrder();

    /**
     * The cheapest plan found for {@code query} over {@code table}.
     *
     * @param wanted the matches the caller needs before it may stop, or -1 when it needs all of them (to count)
     */
    static SearchPlan of(EncodedQuery query, SimTable table, long wanted) {
        Walk ordered = orderedWalk(query, table);
        if (ordered != null && !ordered.range().isAll()) {
            return ordered;
        }
        LookUp lookUp = lookUp(query, table);
        if (lookUp != null && (ordered == null || wanted < 0 || cheaper(lookUp, table, wanted))) {
            return lookUp;
        }
        return ordered != null ? ordered : new Walk(table.index("sys_id"), ValueRange.ALL, false, false, false);
    }

    /**
     * Whether a look-up of {@code n} rows costs less than an unbounded walk in query order that stops after
     * {@code wanted} matches: with the matches spread evenly, that walk visits about {@code wanted * rows / n}.
     */
    private static boolean cheaper(LookUp lookUp, SimTable table, long wanted) {
        long n = lookUp.rows();
        return n * n <= wanted * table.size();
    }

    /** A walk of an index that is in query order, or null when no index is. */
    private static Walk orderedWalk(EncodedQuery query, SimTable table) {
        List<EncodedQuery.Order> orders = significant(query.orders());
        if (orders.isEmpty()) {
            return bounded(query, table.index("sys_id"), false, false);
        }
        EncodedQuery.Order first = orders.get(0);
        boolean thenById = orders.size() == 2 && orders.get(1).field().equals("sys_id");
        if (first.field().contains(".") || orders.size() > 1 && !thenById
                || thenById && !table.index("sys_id").ordersAsText()) {
            return null;
        }
        RowIndex index = table.index(first.field());
        if (!index.ordersAsText()) {
            return null;
        }
        return bounded(query, index, first.descending(), thenById && orders.get(1).descending());
    }

    /**
     * The ORDERBY terms that can change the order: a column already ordered by cannot, nor anything after
     * {@code sys_id}, which no two rows share.
     */
    private static List<EncodedQuery.Order> significant(List<EncodedQuery.Order> orders) {
        List<EncodedQuery.Order> kept = new ArrayList<>();
        for (EncodedQuery.Order o : orders) {
            if (kept.stream().noneMatch(k -> k.field().equals(o.field()))) {
                kept.add(o);
            }
            if (o.field().equals("sys_id")) {
                break;
            }
        }
        return kept;
    }

    private static Walk bounded(EncodedQuery query, RowIndex index, boolean descending, boolean tiesDescending) {
        return new Walk(index, query.range(index.field(), index::comparesAsText), descending, tiesDescending, true);
    }

    /** The rows having the values a column must have, of the column where they are fewest; null if none. */
    private static LookUp lookUp(EncodedQuery query, SimTable table) {
        LookUp best = null;
        for (Map.Entry<String, List<String>> required : query.requiredValues().entrySet()) {
            RowIndex index = table.index(required.getKey());
            List<String> values = List.copyOf(new LinkedHashSet<>(required.getValue()));
            int rows = values.stream().mapToInt(index::count).sum();
            if (best == null || rows < best.rows()) {
                best = new LookUp(index, values, rows, !query.isOrdered());
            }
        }
        return best;
    }

    /** The rows of {@code index} in {@code range}. */
    record Walk(RowIndex index, ValueRange range, boolean descending, boolean tiesDescending,
            boolean inQueryOrder) implements SearchPlan {

        @Override
        public void walk(Predicate<Map<String, String>> visitor) {
            index.walk(range, descending, tiesDescending, visitor);
        }
    }

    /** The {@code rows} rows of {@code index} having one of {@code values}, which are distinct. */
    record LookUp(RowIndex index, List<String> values, int rows, boolean inQueryOrder) implements SearchPlan {

        @Override
        public void walk(Predicate<Map<String, String>> visitor) {
            List<Map<String, String>> found = new ArrayList<>(rows);
            for (String value : values) {
                index.walk(ValueRange.exactly(value), false, false, found::add);
            }
            if (values.size() > 1) {
                found.sort(Comparator.comparing(row -> row.get("sys_id")));
            }
            for (Map<String, String> row : found) {
                if (!visitor.test(row)) {
                    return;
                }
            }
        }
    }
}
