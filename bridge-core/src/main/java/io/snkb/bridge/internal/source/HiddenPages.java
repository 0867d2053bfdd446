package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.OffsetPage;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps a keyset read over rows that row-level ACLs hide. ServiceNow cuts a page before row-level ACLs filter it,
 * so a page whose rows the integration user may not see comes back empty while visible rows follow it; a keyset
 * read that ended there would end there at every poll and never reach the rows after it. After an empty page the
 * instance is asked how many rows the query still matches before ACLs ({@code X-Total-Count}); the rows left are
 * then read by {@code sysparm_offset} in steps of up to {@value #STEP} rows, asking for {@code sys_id} alone, until
 * a step holds a visible row. An instance may answer fewer rows than a step asks for (its largest page is a
 * property): each step is counted, so that the instance sends its {@code Link} header, whose {@code next} link
 * says where the next step must start, and later steps are no longer than that; an empty step answered without a
 * {@code Link} header counts as a page, not as a whole step. The first visible rows are then
 * read in full by their {@code sys_id}s (at most a page, and at most {@value #FETCH}), in the query's order, and
 * the keyset continues from the last of them.
 *
 * <p>One step covers as many rows as ten pages of a thousand, so a change made meanwhile can rarely move a visible
 * row out of reach: rows that leave the query's range between two requests (a hidden row updated meanwhile moves
 * to the end, or out of a bounded backfill) carry the rows after them back by as many rows. When {@value #STEP}
 * rows or fewer are left, the whole rest is one step, and no shift can skip a row. Over larger rests, the step
 * before the one that found rows is read again, and its rows, if it now has any, come first.
 *
 * <p>The count is read once per empty page and bounds the offsets, so the steps end even when every row left is
 * hidden; an instance that sends no count ends the read at the empty page. A step the instance cancels as too long
 * is read again in halves. Used by a table's row poll, its deletes stream, its reconciliation and each range of a
 * backfill, each with its own instance.
 *
 * <p>Not thread-safe: used on its read's thread only.
 */
final class HiddenPages {
    private static final Logger LOG = LoggerFactory.getLogger(HiddenPages.class);
    /** Rows per step: ServiceNow's largest page, small to send with {@code sys_id} alone. */
    static final int STEP = 10_000;
    /** The most rows read by their {@code sys_id}s at once, keeping the request's URL a few KB long. */
    static final int FETCH = 100;
    private static final List<String> KEY = List.of("sys_id");
    private static final int ATTEMPTS = 3;

    /**
     * The rows of the first page after the hidden ones, none when no visible row follows.
     *
     * @param rows       the first visible rows, in the query's order
     * @param hiddenRows rows known to be hidden before them; 0 when nothing was found
     * @param limit      how many rows were asked for when reading them
     */
    record Found(List<Map<String, String>> rows, long hiddenRows, int limit) {
        static final Found NOTHING = new Found(List.of(), 0, 1);
    }

    private final String instance;
    private final RetryingReader reader;
    private final String table;
    private final List<String> fields;
    private final AdaptivePages pages;
    private final AdaptivePages steps;
    private final BooleanSupplier stopped;
    private long hiddenAtEnd;
    private boolean unlinkedTold;

    /**
     * @param table   the table read, e.g. {@code incident} or {@code sys_audit_delete}
     * @param pages   the page size of the read that came back empty, shared with it
     * @param stopped whether the read should end now, checked before each request
     */
    HiddenPages(String instance, RetryingReader reader, String table, List<String> fields, AdaptivePages pages,
                BooleanSupplier stopped) {
        this(instance, reader, table, fields, pages, stopped, STEP);
    }

    /** As above with steps of {@code step} rows, for tests of many steps over few rows. */
    HiddenPages(String instance, RetryingReader reader, String table, List<String> fields, AdaptivePages pages,
                BooleanSupplier stopped, int step) {
        this.instance = instance;
        this.reader = reader;
        this.table = table;
        this.fields = List.copyOf(fields);
        this.pages = pages;
        this.steps = new AdaptivePages(instance, step);
        this.stopped = stopped;
    }

    /**
     * The first visible rows of {@code query}, whose first page came back empty. Visible rows found whose full
     * read comes back empty (updated out of the query, deleted or hidden meanwhile) are looked for again, a few
     * times.
     */
    Found after(String query) throws InterruptedException {
        hiddenAtEnd = 0;
        for (int attempt = 1; attempt < ATTEMPTS; attempt++) {
            Found found = stepOver(query);
            if (found != null) {
                return found;
            }
        }
        Found found = stepOver(query);
        return found != null ? found : Found.NOTHING;
    }

    /**
     * How many rows the instance counted after the empty page of the last {@link #after} that found no visible
     * row, all hidden from the integration user; 0 when it found one, or the instance sent no count.
     */
    long hiddenAtEnd() {
        return hiddenAtEnd;
    }

    /** {@link #after}, or {@code null} when visible rows were found but their full read came back empty. */
    private Found stepOver(String query) throws InterruptedException {
        OptionalLong counted = reader.count(table, query);
        if (counted.isEmpty()) {
            return Found.NOTHING;
        }
        long left = counted.getAsLong();
        long offset = 0;
        while (offset < left && !stopped.getAsBoolean()) {
            int size = steps.size();
            OffsetPage step = steps.readByOffset(reader, table, query, KEY, offset);
            // The step may have been halved during that read, or cut short by the instance's largest page.
            long covered = step.covered(offset, Math.min(size, steps.size()));
            if (!step.linked() && step.rows().isEmpty() && covered > pages.size()) {
                // No Link header: the instance does not say how far the step reached. Count no more than the
                // page size, which pages of the table read are trusted to get in full.
                covered = pages.size();
                if (!unlinkedTold) {
                    unlinkedTold = true;
                    LOG.info("Instance '{}' sends no Link header with {}: stepping over hidden rows {} at a time, "
                            + "the page size, in case it answers fewer rows than asked", instance, table, covered);
                }
            }
            if (step.linked() && steps.limitTo((int) covered)) {
                LOG.info("Instance '{}' answers at most {} rows of {} a request, fewer than asked (its Link header "
                        + "says where the next page starts); stepping over hidden rows that many at a time",
                        instance, covered, table);
            }
            if (!step.rows().isEmpty()) {
                return found(query, step.rows(), offset, Math.min(covered, left - offset));
            }
            offset += covered;
        }
        if (offset >= left) {
            LOG.debug("No visible row follows in {}/{}: the {} rows left are hidden from the integration user",
                    instance, table, left);
            hiddenAtEnd = left;
        }
        return Found.NOTHING;
    }

    /**
     * The step at {@code offset} of {@code stepRows} rows holds the visible {@code keys}. Rows that left the
     * query's range since the step before it was read moved the rows after them forward, so a visible row may now
     * sit in that step: it is read again, and its rows come first when it has any.
     */
    private Found found(String query, List<Map<String, String>> keys, long offset, long stepRows)
            throws InterruptedException {
        if (offset > 0 && !stopped.getAsBoolean()) {
            long before = Math.max(0, offset - steps.size());
            List<Map<String, String>> shifted = steps.read(reader, table, query, KEY, before);
            if (!shifted.isEmpty()) {
                LOG.debug("Rows of {}/{} moved while hidden rows were stepped over; reading on from offset {}",
                        instance, table, before);
                return fetch(query, shifted, before, Math.min(steps.size(), offset - before));
            }
        }
        return fetch(query, keys, offset, stepRows);
    }

    /**
     * Reads in full the first of the visible {@code keys} found in the step at {@code offset}; {@code null} when
     * none of them is there any more.
     */
    private Found fetch(String query, List<Map<String, String>> keys, long offset, long stepRows)
            throws InterruptedException {
        int count = Math.min(keys.size(), Math.min(FETCH, pages.size()));
        List<String> ids = keys.subList(0, count).stream().map(k -> k.get("sys_id")).toList();
        String byIds = KeysetQueries.andEach(query, "sys_idIN" + String.join(",", ids));
        List<Map<String, String>> rows = pages.read(reader, table, byIds, fields);
        if (rows.isEmpty()) {
            LOG.debug("The visible rows found in {}/{} are gone when read in full; looking again", instance, table);
            return null;
        }
        // Known hidden: the steps before, and the rest of this one when every visible row of it is read.
        long hidden = offset + (count == keys.size() ? Math.max(0, stepRows - keys.size()) : 0);
        LOG.debug("{} rows of {}/{} are hidden from the integration user by row-level ACLs; reading on after them",
                hidden, instance, table);
        return new Found(rows, hidden, Math.max(1, count));
    }
}
