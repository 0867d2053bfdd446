package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.RetryingReader;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps a keyset read over pages that row-level ACLs hid entirely. ServiceNow cuts a page before row-level ACLs
 * filter it, so a page whose rows the integration user may not see comes back empty while visible rows follow
 * it; a keyset read that ended there would end there at every poll and never reach the rows after it. After an
 * empty page the instance is asked how many rows the query still matches before ACLs ({@code X-Total-Count}),
 * and the read goes on by {@code sysparm_offset}, a page at a time, until a page holds a visible row; the
 * keyset then continues from that page's last row.
 *
 * <p>The count is read once per empty page and bounds the offset, so the steps end even when every row left is
 * hidden (the count then says rows remain and every page past them comes back empty); an instance that sends no
 * count ends the read at the empty page. Used by a table's row poll, its deletes stream and its reconciliation,
 * each with its own instance.
 *
 * <p>Not thread-safe: used on its table's poller thread only.
 */
final class HiddenPages {
    private static final Logger LOG = LoggerFactory.getLogger(HiddenPages.class);

    /**
     * The rows of the first page after the hidden ones, none when no visible row follows.
     *
     * @param hiddenRows rows stepped over, all of them hidden; 0 when nothing was found
     * @param limit      the page size the rows were read with
     */
    record Found(List<Map<String, String>> rows, long hiddenRows, int limit) {
        static final Found NOTHING = new Found(List.of(), 0, 1);
    }

    private final String instance;
    private final RetryingReader reader;
    private final String table;
    private final List<String> fields;
    private final AdaptivePages pages;
    private final BooleanSupplier stopped;

    /**
     * @param table   the table read, e.g. {@code incident} or {@code sys_audit_delete}
     * @param pages   the page size of the read that came back empty, shared with it
     * @param stopped whether the read should end now, checked before each page
     */
    HiddenPages(String instance, RetryingReader reader, String table, List<String> fields, AdaptivePages pages,
                BooleanSupplier stopped) {
        this.instance = instance;
        this.reader = reader;
        this.table = table;
        this.fields = List.copyOf(fields);
        this.pages = pages;
        this.stopped = stopped;
    }

    /** The first visible rows of {@code query} after its first page (of {@link AdaptivePages#size()}) was empty. */
    Found after(String query) throws InterruptedException {
        OptionalLong left = reader.count(table, query);
        if (left.isEmpty()) {
            return Found.NOTHING;
        }
        long stepped = 0;
        long offset = pages.size();
        while (offset < left.getAsLong() && !stopped.getAsBoolean()) {
            List<Map<String, String>> rows = pages.read(reader, table, query, fields, offset);
            if (!rows.isEmpty()) {
                return found(query, rows, stepped, offset);
            }
            stepped = offset;
            // The page size may have shrunk during that read: it covered this many rows.
            offset += pages.size();
        }
        if (offset >= left.getAsLong()) {
            LOG.debug("No visible row follows in {}/{}: the {} rows left are hidden from the integration user",
                    instance, table, left.getAsLong());
        }
        return Found.NOTHING;
    }

    /**
     * Rows at {@code offset} are visible. Rows that left the query's range since the page at {@code stepped} was
     * read (a hidden row updated meanwhile, now later in the order) moved the rows after them forward, so a
     * visible row may now sit where that page was: it is read again, and its rows come first when it has any.
     */
    private Found found(String query, List<Map<String, String>> rows, long stepped, long offset)
            throws InterruptedException {
        List<Map<String, String>> shifted = pages.read(reader, table, query, fields, stepped);
        if (!shifted.isEmpty()) {
            LOG.debug("Rows of {}/{} moved while hidden pages were stepped over; reading on from offset {}",
                    instance, table, stepped);
            return new Found(shifted, stepped, pages.size());
        }
        LOG.debug("{} rows of {}/{} are hidden from the integration user by row-level ACLs; reading on after them",
                offset, instance, table);
        return new Found(rows, offset, pages.size());
    }
}
