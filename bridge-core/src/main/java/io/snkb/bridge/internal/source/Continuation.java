package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.ServiceNowException;
import io.snkb.bridge.internal.servicenow.TableRead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the page after the next one of a keyset scan at the same time as the next one, so that a table with
 * a backlog is read two pages per round trip instead of one.
 *
 * <p>The next page's query is only known once the current page has arrived, so the page after it cannot be
 * asked for by keyset. It is asked for by offset instead, from the same query as the next page: its rows from
 * {@code limit - 1} on, {@code limit + 1} of them. That page starts with the next page's last row unless the
 * table changed between the two reads in a way that moved it (a row before it deleted, updated away, committed
 * late or hidden). It is used only when its first row is the next page's last row, same {@code sys_id} and same
 * {@code sys_updated_on}: the instance cut it from one ordering of the rows, in which the rows after that row
 * are then exactly those a keyset read after it would give, up to the end of the cut. Otherwise it is dropped
 * and the scan reads on by keyset, having lost one request and nothing else.
 *
 * <p>Only started after a full page, so a table that has caught up costs no extra request. Not thread-safe:
 * owned by the thread of one scan; the read runs on a thread of its own.
 */
final class Continuation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Continuation.class);

    private final RetryingReader reader;
    private final String table;
    private final List<String> fields;
    private final ReadAhead ahead;
    private final Consumer<String> outcomes;
    private String pendingQuery;
    private int pendingLimit;
    private long used;
    private long dropped;

    /** @param outcomes told {@code used} or {@code dropped} for each continuation taken */
    Continuation(String threadName, RetryingReader reader, String table, List<String> fields,
                 Consumer<String> outcomes) {
        this.outcomes = outcomes;
        this.reader = reader;
        this.table = table;
        this.fields = fields;
        this.ahead = new ReadAhead(threadName);
    }

    /** Starts reading the page after the page of {@code query}, whose pages are {@code limit} rows. */
    void start(String query, int limit) {
        pendingQuery = query;
        pendingLimit = limit;
        ahead.start(query, q -> reader.read(new TableRead(table, q, fields, limit + 1, limit - 1)));
    }

    /**
     * The rows that follow {@code page}, the page of {@code query} read with {@code limit}, when a continuation
     * of it was started and proves to be one; otherwise none. A failed continuation is dropped, except refused
     * credentials, which the scan's own reads would meet next.
     */
    List<Map<String, String>> after(String query, int limit, List<Map<String, String>> page)
            throws InterruptedException {
        if (!Objects.equals(query, pendingQuery)) {
            cancel();
            return List.of();
        }
        boolean sameLimit = limit == pendingLimit;
        pendingQuery = null;
        List<Map<String, String>> next;
        try {
            next = ahead.take(query, q -> List.of());
        } catch (AuthenticationFailedException e) {
            throw e;
        } catch (ServiceNowException e) {
            LOG.debug("Dropped the continuation of a page of {}: {}", table, e.getMessage());
            return drop();
        }
        if (!sameLimit || page.isEmpty() || next.size() < 2 || !sameRow(next.get(0), page.get(page.size() - 1))) {
            return drop();
        }
        used++;
        outcomes.accept("used");
        return new ArrayList<>(next.subList(1, next.size()));
    }

    /** Continuations used and dropped so far. */
    long used() {
        return used;
    }

    long dropped() {
        return dropped;
    }

    void cancel() {
        ahead.cancel();
        pendingQuery = null;
    }

    @Override
    public void close() {
        ahead.close();
    }

    private List<Map<String, String>> drop() {
        dropped++;
        outcomes.accept("dropped");
        return List.of();
    }

    private static boolean sameRow(Map<String, String> a, Map<String, String> b) {
        return Objects.equals(a.get("sys_id"), b.get("sys_id"))
                && Objects.equals(a.get("sys_updated_on"), b.get("sys_updated_on"));
    }
}
