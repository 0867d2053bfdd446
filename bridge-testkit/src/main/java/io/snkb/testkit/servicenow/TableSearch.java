package io.snkb.testkit.servicenow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Answers an encoded query over one table: the rows of one {@code sysparm_offset}/{@code sysparm_limit} window in
 * query order, and how many rows match. The answer is the one of the plain evaluation (every row in
 * {@code sys_id} order tested, the matches stably sorted by the ORDERBY terms, the window cut) but found through
 * the table's indexes where they give the same answer:
 *
 * <ul>
 *   <li>a query ordered by a column (then perhaps by {@code sys_id}), or not ordered, walks the index of that
 *       column (of {@code sys_id}) in query order, from and to the values its conditions allow, and stops once
 *       the window is full when no exact count is asked for;</li>
 *   <li>a query that requires a column to equal a value takes the rows that have it, when they are fewer than
 *       an ordered walk would likely test;</li>
 *   <li>anything else, including columns whose values queries compare as integers in an order text does not
 *       have, is evaluated plainly.</li>
 * </ul>
 *
 * <p>The table is read under its lock, so the answer reflects one state of the table. Sorting, and conditions
 * that follow references into other tables, wait until the lock is released (they may lock those tables), and
 * work on the rows the walk gathered. Stateless.
 */
final class TableSearch {

    private TableSearch() {
    }

    /**
     * The matches of a query.
     *
     * @param page  the matches in the window, in query order
     * @param total how many rows match; when the count was not asked for, it may stop at one more than the window
     *              reaches, which still tells whether there are rows after it
     */
    record Result(List<Map<String, String>> page, int total) {
    }

    /**
     * Evaluates {@code query} over {@code ctx.table()}.
     *
     * @param exactCount whether {@link Result#total} must count every match
     */
    static Result run(EncodedQuery query, EncodedQuery.Context ctx, int offset, int limit, boolean exactCount) {
        if (query.matchesNothing()) {
            return new Result(List.of(), 0);
        }
        Window window = new Window(offset, limit, exactCount);
        boolean local = !query.readsOtherTables();
        Gathered gathered = ctx.table().read(() -> gather(query, ctx, local, window));
        if (gathered != null) {
            List<Map<String, String>> matches = local ? gathered.rows()
                    : gathered.rows().stream().filter(r -> query.matches(r, ctx)).toList();
            fill(window, gathered.inQueryOrder() ? matches : sorted(matches, query.comparator(ctx)));
        }
        return window.result();
    }

    private static List<Map<String, String>> sorted(List<Map<String, String>> rows,
            Comparator<Map<String, String>> order) {
        List<Map<String, String>> copy = new ArrayList<>(rows);
        copy.sort(order);
        return copy;
    }

    private static void fill(Window window, List<Map<String, String>> matches) {
        for (Map<String, String> row : matches) {
            if (!window.offer(row)) {
                return;
            }
        }
    }

    /**
     * Under the table's lock: fills {@code window} and answers null when the rows can be tested here and come in
     * query order; otherwise gathers the candidates, tested when {@code local}, in the order they come.
     */
    private static Gathered gather(EncodedQuery query, EncodedQuery.Context ctx, boolean local, Window window) {
        Plan plan = plan(query, ctx.table(), window);
        if (local && plan.inQueryOrder()) {
            plan.walk(row -> !query.matches(row, ctx) || window.offer(row));
            return null;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        plan.walk(row -> {
            if (!local || query.matches(row, ctx)) {
                rows.add(row);
            }
            return true;
        });
        return new Gathered(rows, plan.inQueryOrder());
    }

    /** The cheapest walk found; rows that are not in query order come in {@code sys_id} order. */
    private static Plan plan(EncodedQuery query, SimTable table, Window window) {
        Plan ordered = orderedWalk(query, table);
        if (ordered != null && !ordered.range().isAll()) {
            return ordered;
        }
        Plan lookUp = lookUp(query, table);
        if (lookUp != null && (ordered == null || window.exactCount || cheaper(lookUp, table, window))) {
            return lookUp;
        }
        if (ordered != null) {
            return ordered;
        }
        return new Plan(table.index("sys_id"), ValueRange.ALL, false, false, false);
    }

    /**
     * Whether a look-up of {@code n} rows, to be sorted, costs less than an unbounded ordered walk that stops after
     * the window: with the matches spread evenly that walk visits about {@code window * rows / n} rows.
     */
    private static boolean cheaper(Plan lookUp, SimTable table, Window window) {
        long n = lookUp.index().count(lookUp.range().lower());
        return n * n <= (window.end + 1) * table.size();
    }

    /** A walk of an index that is in query order, or null when no index is. */
    private static Plan orderedWalk(EncodedQuery query, SimTable table) {
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

    private static Plan bounded(EncodedQuery query, RowIndex index, boolean descending, boolean tiesDescending) {
        ValueRange range = query.range(index.field(), index::comparesAsText);
        return new Plan(index, range, descending, tiesDescending, true);
    }

    /** The rows with the value a column must equal, the column with the fewest; null when there is none. */
    private static Plan lookUp(EncodedQuery query, SimTable table) {
        Plan best = null;
        int fewest = Integer.MAX_VALUE;
        for (Map.Entry<String, String> equal : query.equalities().entrySet()) {
            RowIndex index = table.index(equal.getKey());
            int count = index.count(equal.getValue());
            if (count < fewest) {
                fewest = count;
                best = new Plan(index, ValueRange.exactly(equal.getValue()), false, false, !query.isOrdered());
            }
        }
        return best;
    }

    /** A walk over {@code index}; {@code inQueryOrder} false when the rows come in {@code sys_id} order. */
    private record Plan(RowIndex index, ValueRange range, boolean descending, boolean tiesDescending,
            boolean inQueryOrder) {

        void walk(Predicate<Map<String, String>> visitor) {
            index.walk(range, descending, tiesDescending, visitor);
        }
    }

    private record Gathered(List<Map<String, String>> rows, boolean inQueryOrder) {
    }

    /** Counts matches offered in query order and keeps those in the window. Not thread-safe. */
    private static final class Window {
        private final long offset;
        private final long end;
        private final boolean exactCount;
        private final List<Map<String, String>> page = new ArrayList<>();
        private int matched;

        Window(int offset, int limit, boolean exactCount) {
            this.offset = offset;
            this.end = (long) offset + limit;
            this.exactCount = exactCount;
        }

        /** Takes the next match; false when no more are needed. */
        boolean offer(Map<String, String> row) {
            if (matched >= offset && matched < end) {
                page.add(row);
            }
            matched++;
            return exactCount || matched <= end;
        }

        Result result() {
            return new Result(page, matched);
        }
    }
}
