package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.OffsetPage;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.bridge.internal.servicenow.TransactionCancelledException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page size of one kind of read: the configured size, halved each time the instance cancels a page's
 * transaction as too long, down to one row. The smaller size stays: the rows that were too slow are still
 * there at the next poll. Not thread-safe: owned by one poller thread.
 */
final class AdaptivePages {
    private static final Logger LOG = LoggerFactory.getLogger(AdaptivePages.class);

    private final String instance;
    private int size;

    AdaptivePages(String instance, int initialSize) {
        this.instance = instance;
        this.size = initialSize;
    }

    int size() {
        return size;
    }

    /**
     * Reads one page of {@code table}; throws the {@link TransactionCancelledException} when even a page of one
     * row is cancelled.
     */
    List<Map<String, String>> read(RetryingReader reader, String table, String query, List<String> fields)
            throws InterruptedException {
        return read(reader, table, query, fields, 0);
    }

    /** As above, passing over the first {@code offset} rows of the query's order. */
    List<Map<String, String>> read(RetryingReader reader, String table, String query, List<String> fields,
                                   long offset) throws InterruptedException {
        return halving(table, size -> reader.read(new TableRead(table, query, fields, size, offset)));
    }

    /** As above, with what the instance said of the rows after the page ({@link OffsetPage}). */
    OffsetPage readByOffset(RetryingReader reader, String table, String query, List<String> fields, long offset)
            throws InterruptedException {
        return halving(table, size -> reader.readByOffset(new TableRead(table, query, fields, size, offset)));
    }

    /**
     * Pages of at most {@code rows} from now on: the instance answers no more, whatever it is asked. Returns
     * whether the size fell.
     */
    boolean limitTo(int rows) {
        if (rows < 1 || rows >= size) {
            return false;
        }
        size = rows;
        return true;
    }

    private interface SizedRead<T> {
        T read(int size) throws InterruptedException;
    }

    private <T> T halving(String table, SizedRead<T> read) throws InterruptedException {
        while (true) {
            try {
                return read.read(size);
            } catch (TransactionCancelledException e) {
                if (size == 1) {
                    throw e;
                }
                size = Math.max(1, size / 2);
                LOG.warn("Instance '{}' cancelled a page of {} as too long; reading {} rows a page from now on",
                        instance, table, size);
            }
        }
    }
}
