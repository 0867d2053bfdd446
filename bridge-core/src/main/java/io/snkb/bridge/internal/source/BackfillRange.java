package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.kafka.EventProducer;
import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.SessionZone;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.bridge.internal.support.StopSignal;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.Serializer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one {@code sys_id} range of a backfill into Kafka: keyset pages ordered by
 * {@code sys_id} from the range's stored position on, until a page comes back empty and no visible row follows
 * the pages that row-level ACLs hid ({@link HiddenPages}). A page the instance cancels as too long is read again
 * in halves ({@link AdaptivePages}), down to one row.
 *
 * <p>Rows are read, and sent, in {@code sys_id} order, so the position that may be stored is simply the last
 * row of the acknowledged prefix; its {@code sys_updated_on} is kept beside it for people reading the store.
 * A failure (ServiceNow after the reader's retries, a record Kafka refused, the serializer) ends the range;
 * its stored position still only covers acknowledged rows, so running the backfill again resumes it.
 *
 * <p>Threads: {@link #copy} on the range's own thread, with the next page read ahead on a second one
 * ({@link ReadAhead}); {@link #committable()} from the position writer;
 * producer callbacks from Kafka's I/O thread; the counters from anywhere.
 */
final class BackfillRange {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillRange.class);
    /** Positions of a backfill compare by {@code sys_id} alone, the order rows are read in. */
    static final Comparator<Position> BY_SYS_ID = Comparator.comparing(Position::sysId);
    private static final int ROWS_HELD = 16_000;

    private final BackfillPlan plan;
    private final SysIdRange range;
    private final RetryingReader reader;
    /** The zone the instance reads the bounds' dates in; shared by the job's ranges, looked up once. */
    private final SessionZone zone;
    private final EventProducer producer;
    private final Serializer serializer;
    private final TableProgress progress;
    private final StopSignal stop;
    private final AckTracker tracker;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong hidden = new AtomicLong();
    private final AdaptivePages pages;
    private final HiddenPages hiddenPages;
    private final List<String> fields;
    private final Semaphore rowsHeld;
    private String cursor;
    private volatile boolean completed;

    /** @param stored the range's stored position, or {@code null} when it starts from its beginning */
    BackfillRange(BackfillPlan plan, SysIdRange range, RetryingReader reader, SessionZone zone,
                  EventProducer producer, Serializer serializer, TableProgress progress, StopSignal stop,
                  Position stored, Semaphore rowsHeld) {
        this.rowsHeld = rowsHeld;
        this.plan = plan;
        this.zone = zone;
        this.range = range;
        this.reader = reader;
        this.producer = producer;
        this.serializer = serializer;
        this.progress = progress;
        this.stop = stop;
        this.tracker = new AckTracker(stored, BY_SYS_ID);
        this.fields = TableRead.withCursorFields(plan.table().fields());
        this.pages = new AdaptivePages(plan.instance(), plan.table().pageSize());
        this.hiddenPages = new HiddenPages(plan.instance(), reader, plan.table().name(), fields, pages,
                stop::isStopped);
        this.cursor = stored == null ? null : stored.sysId();
        progress.storedPosition(stored);
    }

    TableProgress progress() {
        return progress;
    }

    /** The position that may be stored now: nothing at or before it awaits Kafka. */
    Position committable() {
        return tracker.committable();
    }

    /** The query of the range's rows that are still to be read, for counting them. */
    String remainingQuery() throws InterruptedException {
        return query(cursor);
    }

    /**
     * Reads the range to its end and waits until Kafka acknowledged every row. Throws what ended it early;
     * {@link InterruptedException} when stopped.
     */
    void copy(Duration ackWait) throws InterruptedException {
        int pagesRead = 0;
        int pageSize = plan.table().pageSize();
        int held = 0;
        boolean readingAhead = false;
        try (ReadAhead ahead = new ReadAhead("snkb-read-ahead-" + plan.instance() + "-" + plan.table().name()
                + "-" + range)) {
            String query = query(cursor);
            while (!stop.isStopped()) {
                if (pagesRead > 0) {
                    awaitKafka(ackWait);
                }
                if (!readingAhead) {
                    rowsHeld.acquire(pageSize);
                }
                held += pageSize;
                readingAhead = false;
                List<Map<String, String>> rows = ahead.take(query, this::readRows);
                pagesRead++;
                LOG.debug("Range {} page {} has {} rows", range, pagesRead, rows.size());
                if (rows.isEmpty()) {
                    rows = pastHiddenPages(query);
                }
                if (rows.isEmpty()) {
                    awaitAcknowledged(ackWait);
                    completed = true;
                    LOG.info("Range {} of {}/{} copied: {} rows in {} pages{}", range, plan.instance(),
                            plan.table().name(), sent.get(), pagesRead, hidden.get() == 0 ? ""
                                    : ", " + hidden.get() + " rows stepped over as hidden by row-level ACLs");
                    return;
                }
                // The next page starts after this one's last row: ask for it while this one is sent.
                query = query(rows.get(rows.size() - 1).get("sys_id"));
                if (ReadAhead.worthIt(pageSize) && rowsHeld.tryAcquire(pageSize)) {
                    ahead.start(query, this::readRows);
                    readingAhead = true;
                }
                for (Map<String, String> row : rows) {
                    send(row);
                    // A refused record ends the page: while Kafka is away each further send would block too.
                    throwIfSendFailed();
                }
                cursor = rows.get(rows.size() - 1).get("sys_id");
                rowsHeld.release(held);
                held = 0;
                throwIfSendFailed();
            }
        } finally {
            rowsHeld.release(held + (readingAhead ? pageSize : 0));
        }
        throw new InterruptedException("stopped");
    }

    /**
     * How many rows the ranges of one backfill may hold parsed at once: a page is counted from before it is
     * requested until its rows are handed to Kafka, so that pages of thousands of wide rows read by several
     * ranges at once cannot exhaust the heap (a parsed row of some 40 fields takes about 6 KB). At least one
     * page, so that a range can always proceed.
     */
    static int rowsHeldLimit(int pageSize) {
        return Math.max(pageSize, ROWS_HELD);
    }

    private List<Map<String, String>> readRows(String query) throws InterruptedException {
        return pages.read(reader, plan.table().name(), query, fields);
    }

    /**
     * After an empty page: the first visible rows after the pages row-level ACLs hid entirely, none at the end of
     * the range. ServiceNow applies the page limit before row-level ACLs, so an empty page is not the end while
     * the instance counts rows left.
     */
    private List<Map<String, String>> pastHiddenPages(String query) throws InterruptedException {
        HiddenPages.Found found = hiddenPages.after(query);
        if (!found.rows().isEmpty()) {
            hidden.addAndGet(found.hiddenRows());
            progress.hiddenRows(found.hiddenRows());
        }
        return found.rows();
    }

    boolean completed() {
        return completed;
    }

    long sent() {
        return sent.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /**
     * Rows stepped over because row-level ACLs hid whole pages of them from the integration user; rows hidden in
     * pages that also held visible rows are not counted (where the page was cut is not known).
     */
    long hidden() {
        return hidden.get();
    }

    /** Waits until Kafka settled every record sent so far, at most {@code timeout}. */
    boolean awaitInFlight(Duration timeout) throws InterruptedException {
        return tracker.awaitAcknowledged(timeout);
    }

    /** The query of the range's rows after {@code sysId}, or of all of them when it is {@code null}. */
    private String query(String sysId) throws InterruptedException {
        List<String> bounds = plan.from() == null && plan.to() == null ? List.of()
                : plan.bounds(zone.get(reader, plan.table().name()));
        return KeysetQueries.byId(sysId, range.conditions(bounds), plan.table().query(), plan.query());
    }

    private void send(Map<String, String> row) {
        Position position = RowEvents.positionOf(plan.instance(), plan.table().name(), row);
        if (!plan.covers(position.updatedOn())) {
            // Read only because a bound in a repeated hour was widened (see BackfillPlan#bounds).
            return;
        }
        ChangeEvent event = RowEvents.backfillEventOf(plan.instance(), plan.table().name(), row,
                position.updatedOn());
        byte[] value;
        try {
            value = serializer.serialize(event);
        } catch (RuntimeException e) {
            throw new SerializerFailedException(plan.instance(), plan.table().name(), event.sysId(), e);
        }
        AckTracker.Pending pending = tracker.register(position);
        sent.incrementAndGet();
        try {
            producer.send(plan.table().topic(), event, value, serializer.contentType(), (metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                    pending.acknowledged();
                } else {
                    pending.failed(error);
                }
            });
        } catch (InterruptException e) {
            pending.failed(e);
            throw e;
        } catch (RuntimeException e) {
            pending.failed(e);
        }
    }

    /** Holds the next page back while too many of the range's records await Kafka (see {@link ReadAhead}). */
    private void awaitKafka(Duration ackWait) throws InterruptedException {
        int limit = ReadAhead.inFlightLimit(plan.table().pageSize());
        while (!tracker.awaitInFlightAtMost(limit, ackWait)) {
            throwIfSendFailed();
            if (stop.isStopped()) {
                throw new InterruptedException("stopped");
            }
            LOG.info("Range {} waits for Kafka to acknowledge {} records before reading on", range,
                    tracker.inFlight());
        }
        throwIfSendFailed();
    }

    private void awaitAcknowledged(Duration ackWait) throws InterruptedException {
        while (!tracker.awaitAcknowledged(ackWait)) {
            throwIfSendFailed();
            if (stop.isStopped()) {
                throw new InterruptedException("stopped");
            }
            LOG.info("Range {} waits for Kafka to acknowledge {} records", range, tracker.inFlight());
        }
        throwIfSendFailed();
    }

    private void throwIfSendFailed() {
        Throwable failure = tracker.failure();
        if (failure != null) {
            throw new SendFailedException("Kafka did not accept a record for topic " + plan.table().topic()
                    + ": " + failure + "; running the backfill again resumes from the last acknowledged row",
                    failure);
        }
    }

    @Override
    public String toString() {
        return range.toString();
    }
}
