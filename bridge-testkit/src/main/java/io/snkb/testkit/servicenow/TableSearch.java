package io.snkb.testkit.servicenow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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
 *   <li>a query that requires a column to have one value, or one of a list ({@code IN}), takes the rows that
 *       have it, when they are fewer than an ordered walk would likely test;</li>
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
        EncodedQuery.sort(copy, order);
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
        SearchPlan plan = SearchPlan.of(query, ctx.table(), window.exactCount ? -1 : window.end + 1);
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
