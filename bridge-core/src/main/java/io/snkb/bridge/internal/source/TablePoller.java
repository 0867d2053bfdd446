package io.snkb.bridge.internal.source;

import io.snkb.bridge.DeleteCapture;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.config.Durations;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.kafka.EventProducer;
import io.snkb.bridge.internal.metrics.TableMetrics.PollOutcome;
import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.RetriableServiceNowException;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.sink.SinkWrites;
import io.snkb.bridge.internal.servicenow.ServiceNowException;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.internal.servicenow.SessionZone;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.bridge.internal.servicenow.TransactionCancelledException;
import io.snkb.bridge.internal.support.RepeatedFailureLog;
import io.snkb.bridge.internal.support.StopSignal;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.Serializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads one ServiceNow table incrementally into its Kafka topic, on a thread of its own.
 *
 * <p>A poll reads keyset pages ordered by {@code sys_updated_on, sys_id}, from the re-read window before
 * the furthest row read so far, until a page comes back empty: ServiceNow applies the page limit before
 * row-level ACLs, so a short page does not mean the end. Rows already emitted in the same version are
 * suppressed. Right after a start, rows of seconds before the stored position count as emitted by the
 * previous run; those of its own second are sent again (see {@link #restartFrom}). Query dates are written
 * in the integration user's time zone ({@link SessionZone}). After the rows, each poll cycle reads the
 * table's deletes ({@link DeleteStream}) and, when due, runs a reconciliation pass ({@link Reconciler}).
 *
 * <p>Failures: a read that exhausts its retries leaves the table RETRYING until the next cycle, the read
 * cursor unchanged; credentials the instance refuses leave it RETRYING too, with a pause that doubles
 * after each refusal; a send refused by Kafka ends the page at once and resets the table to the last position
 * Kafka fully acknowledged, to read again from there; records Kafka acknowledges none of for {@code ackWait}
 * leave the table RETRYING until they are acknowledged or refused; a fatal ServiceNow error (403, no such table)
 * marks the table FAILED and reads it again after a pause that doubles, up to {@link #FAILED_RETRY_LIMIT}, in
 * case the cause passes; a serializer error marks it FAILED and ends its thread. Nothing here ever stops another
 * table.
 *
 * <p>Threads: {@link #run()} on the poller's own thread, with the next page of rows read ahead on a second
 * one; {@link #committable()} from the position writer; producer callbacks from Kafka's I/O thread.
 */
public final class TablePoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TablePoller.class);
    /** How long a poll waits for the answer to a sink write of a row it read, to tell an echo. */
    private static final Duration SINK_ANSWER_WAIT = Duration.ofSeconds(10);
    /** The longest pause between two attempts with credentials the instance refused. */
    static final Duration AUTH_BACKOFF_LIMIT = Duration.ofMinutes(10);
    /** The longest wait of a table that failed for good before it is read again. */
    static final Duration FAILED_RETRY_LIMIT = Duration.ofMinutes(30);

    private final String instance;
    private final TableConfig table;
    private final RetryingReader reader;
    private final EventProducer producer;
    private final Serializer serializer;
    private final TableProgress progress;
    private final PositionWriter positions;
    private final PollerSettings settings;
    private final Clock clock;
    private final StopSignal stop;
    private final DedupeCache emitted;
    private final SinkWrites sinkWrites;
    private final List<String> fields;
    private final RepeatedFailureLog failures;
    private final SessionZone sessionZone;
    private final DeleteStream deletes;
    /** Failures in a row that retries cannot cure (403, no such table); poller thread only. */
    private long fatalInARow;
    /** Whether the warning that rows lack {@code sys_mod_count} was logged; poller thread only. */
    private boolean modCountMissingTold;
    private final SentVersions sentVersions;
    private final Reconciler reconciler;
    private volatile AckTracker tracker;
    /** Whether Kafka acknowledged nothing during a wait of this poll for it (see {@link #reportIfKafkaSilent}). */
    private boolean kafkaSilent;
    private final KeysetScan keyset;
    private Position readPosition;
    private final AdaptivePages pages;
    private final HiddenPages hiddenPages;
    private final ReadAhead readAhead;
    private final Continuation continuation;

    /**
     * @param sessionZone   the time zone in which the instance reads the literals of this poller's queries
     * @param stored        the position the offset store holds for this table, or {@code null} on a first run
     * @param storedDeletes the stored position of the table's deletes stream, or {@code null}
     * @param sinkWrites    the row versions the sink wrote, which are not sent again
     */
    public TablePoller(String instance, TableConfig table, RetryingReader reader, EventProducer producer,
                       Serializer serializer, TableProgress progress, PositionWriter positions,
                       PollerSettings settings, Clock clock, StopSignal stop, SessionZone sessionZone,
                       Position stored, Position storedDeletes, SinkWrites sinkWrites) {
        this.sinkWrites = sinkWrites;
        this.instance = instance;
        this.table = table;
        this.reader = reader;
        this.producer = producer;
        this.serializer = serializer;
        this.progress = progress;
        this.positions = positions;
        this.settings = settings;
        this.clock = clock;
        this.stop = stop;
        this.emitted = new DedupeCache(settings.dedupeCapacity());
        this.fields = TableRead.withCursorFields(table.fields());
        this.failures = new RepeatedFailureLog(LOG, "Polling " + instance + "/" + table.name());
        reader.onRetry(this::readFailing);
        reader.rateLimit().onLongWait(this::rateLimited);
        this.sessionZone = sessionZone;
        this.pages = new AdaptivePages(instance, table.pageSize());
        this.hiddenPages = new HiddenPages(instance, reader, table.name(), fields, pages, stop::isStopped);
        this.readAhead = new ReadAhead("snkb-read-ahead-" + instance + "-" + table.name());
        this.continuation = new Continuation("snkb-read-on-" + instance + "-" + table.name(), reader, table.name(),
                fields, progress.metrics()::offsetRead);
        progress.storedPosition(stored);
        LatestStamp stamps = new LatestStamp();
        this.keyset = new KeysetScan("sys_updated_on", table.query(),
                row -> RowEvents.positionOf(instance, table.name(), row), stamps, stored);
        restartFrom(stored);
        positions.register(progress, this::committable);
        this.sentVersions = table.reconciles() ? new SentVersions(settings.dedupeCapacity(),
                stored == null ? null : stored.updatedOn()) : null;
        this.deletes = table.deletes() ? new DeleteStream(instance, table, reader, producer, serializer, progress,
                positions, settings, clock, storedDeletes, sentVersions, stamps) : null;
        this.reconciler = sentVersions == null ? null : new Reconciler(instance, table, reader, progress, clock,
                sentVersions, deletes == null ? null : deletes::willSend);
        if (deletes == null) {
            progress.deletes(DeleteCapture.DISABLED, null);
        }
    }

    /**
     * The position that may be stored now: nothing at or before it awaits Kafka, or was not read yet in a
     * repeated hour read by {@code sys_id}.
     */
    Position committable() {
        return keyset.cap(() -> tracker.committable());
    }

    /** Waits until Kafka settled every record sent so far, at most {@code timeout}. */
    public boolean awaitInFlight(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean records = tracker.awaitAcknowledged(timeout);
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return (deletes == null || deletes.awaitInFlight(left)) && records;
    }

    @Override
    public void run() {
        MDC.put("snkb.instance", instance);
        MDC.put("snkb.table", table.name());
        try {
            progress.state(EngineState.RUNNING);
            loop();
        } catch (InterruptedException | InterruptException e) {
            LOG.debug("Poller interrupted to stop");
        } catch (RuntimeException | Error e) {
            LOG.error("Poller of {}/{} failed unexpectedly", instance, table.name(), e);
            progress.failed("Unexpected failure: " + e);
        } finally {
            readAhead.close();
            continuation.close();
            if (progress.state() != EngineState.FAILED) {
                progress.state(EngineState.STOPPED);
            }
            MDC.clear();
        }
    }

    private void loop() throws InterruptedException {
        if (deletes != null) {
            deletes.check();
        }
        while (!stop.isStopped()) {
            Duration pause = table.pollInterval();
            Instant pollStart = clock.instant();
            long startNanos = System.nanoTime();
            progress.pollStarted();
            kafkaSilent = false;
            try {
                pollOnce();
                if (!kafkaSilent || tracker.inFlight() == 0) {
                    recovered();
                }
                pollEnded(pollStart, startNanos, tracker.inFlight() == 0 ? PollOutcome.CAUGHT_UP
                        : PollOutcome.UNACKNOWLEDGED);
            } catch (AuthenticationFailedException e) {
                pollEnded(pollStart, startNanos, PollOutcome.FAILED);
                progress.credentialsRefused(true);
                retryLater(e.getMessage(), e);
                pause = longer(pause, authBackoff());
            } catch (ServiceNowException e) {
                pollEnded(pollStart, startNanos, PollOutcome.FAILED);
                if (!e.isRetriable()) {
                    Duration wait = failedRetry(++fatalInARow);
                    if (fatalInARow == 1) {
                        LOG.error("Table {}/{} failed: {}. Reading it again in {}, then less often, in case the "
                                + "cause passes", instance, table.name(), e.getMessage(), Durations.format(wait));
                    } else {
                        LOG.debug("Table {}/{} failed again ({} times in a row): {}", instance, table.name(),
                                fatalInARow, e.getMessage());
                    }
                    progress.failed(e.getMessage());
                    if (stop.await(wait)) {
                        return;
                    }
                    continue;
                }
                retryLater(e.getMessage(), e);
                pause = longer(pause, settings.retry().initialDelay());
            } catch (SendFailedException e) {
                pollEnded(pollStart, startNanos, PollOutcome.FAILED);
                retryLater(e.getMessage(), e);
                // Records sent before the refused one may still be acknowledged: let them count.
                tracker.awaitSettled(settings.ackWait());
                restartFrom(committable());
                if (deletes != null) {
                    deletes.restartFromAcknowledged(settings.ackWait());
                }
                positions.requestFlush();
                pause = longer(pause, settings.retry().initialDelay());
            }
            if (stop.await(pause)) {
                return;
            }
        }
    }

    /** One poll: every page from the re-read window on, until an empty page; then the deletes. */
    void pollOnce() throws InterruptedException {
        ZoneId zone = sessionZone();
        pollRecords(zone);
        if (deletes != null && !stop.isStopped()) {
            long deleted = deletes.poll(zone, settings.ackWait());
            if (deleted > 0) {
                LOG.info("Sent {} deletes of {}/{} to {}", deleted, instance, table.name(), table.topic());
            }
            positions.requestFlush();
        }
        if (reconciler != null && readPosition != null && !stop.isStopped() && reconciler.due()) {
            reconcile(zone);
        }
        if (!stop.isStopped()) {
            progress.pollFinished(clock.instant());
        }
    }

    private void reconcile(ZoneId zone) throws InterruptedException {
        reconciler.run(readPosition, zone, new Reconciler.Emitter() {
            @Override
            public void resend(Map<String, String> row) {
                Position position = RowEvents.positionOf(instance, table.name(), row);
                send(RowEvents.eventOf(instance, table.name(), row, position.updatedOn(), Reconciler.READ_MODE),
                        position);
                remember(row, position);
            }

            @Override
            public void gone(String sysId, SentVersions.Sent last) {
                sendGone(sysId, last);
            }
        });
        tracker.awaitAcknowledged(settings.ackWait());
        throwIfSendFailed();
        positions.requestFlush();
    }

    /** A row gone without an audit record: its delete, with what is known of it, and a tombstone. */
    private void sendGone(String sysId, SentVersions.Sent last) {
        Map<String, String> before = new java.util.LinkedHashMap<>();
        before.put("sys_id", sysId);
        before.put("sys_mod_count", last.modCount());
        before.put("sys_updated_on", ServiceNowTime.format(last.updatedOn()));
        ChangeEvent.SourceInfo source = new ChangeEvent.SourceInfo(instance, table.name(),
                before.get("sys_updated_on"), last.modCount(), Reconciler.READ_MODE);
        Position position = new Position(last.updatedOn(), sysId);
        send(ChangeEvent.delete(sysId, before, source, clock.instant().truncatedTo(ChronoUnit.SECONDS)), position);
        if (table.tombstones()) {
            AckTracker.Pending pending = tracker.register(position);
            producer.sendTombstone(table.topic(), source, sysId, (metadata, error) -> progress.settled(pending, error));
        }
        sentVersions.deleted(sysId);
        emitted.forget(sysId);
    }

    /** The zone the instance reads query dates in; a failure to find it is reported as this table's. */
    private ZoneId sessionZone() throws InterruptedException {
        try {
            return sessionZone.get(reader, table.name());
        } catch (AuthenticationFailedException e) {
            throw new AuthenticationFailedException(instance, table.name(), e.httpStatus(), e.detail(), e);
        } catch (RetriableServiceNowException e) {
            throw new RetriableServiceNowException(instance, table.name(), e.httpStatus(),
                    "cannot find the integration user's time zone in " + e.table() + ": " + e.detail(), e);
        }
    }

    private void pollRecords(ZoneId zone) throws InterruptedException {
        Instant lowerBound = readPosition == null ? null : readPosition.updatedOn().minus(table.rereadWindow());
        String query = keyset.start(zone, lowerBound);
        emitted.pruneBefore(keyset.lowerBound());
        long read = 0;
        long sent = 0;
        int pages = 0;
        try {
            while (query != null && !stop.isStopped()) {
                if (pages > 0) {
                    awaitKafka();
                }
                List<Map<String, String>> rows = readPage(query);
                pages++;
                read += rows.size();
                progress.pageRead(rows.size(), this.pages.size());
                LOG.debug("Page {} has {} rows", pages, rows.size());
                boolean lastPageFull = rows.size() >= this.pages.size();
                if (rows.isEmpty()) {
                    continuation.cancel();
                    rows = pastHiddenPages(query);
                    read += rows.size();
                } else {
                    List<Map<String, String>> more = continuation.after(query, this.pages.size(), rows);
                    if (!more.isEmpty()) {
                        progress.pageRead(more.size(), this.pages.size());
                        read += more.size();
                        lastPageFull = more.size() >= this.pages.size();
                        rows = joined(rows, more);
                    }
                }
                rows = keyset.advance(rows);
                query = keyset.query();
                if (query != null && ReadAhead.worthIt(this.pages.size())) {
                    readAhead.start(query, this::readRows);
                    if (lastPageFull) {
                        continuation.start(query, this.pages.size());
                    }
                }
                for (Map<String, String> row : rows) {
                    sent += handle(row, RowEvents.positionOf(instance, table.name(), row)) ? 1 : 0;
                    // A refused record ends the page: while Kafka is away each further send would block too.
                    throwIfSendFailed();
                }
                positions.requestFlush();
            }
        } finally {
            readAhead.cancel();
            continuation.cancel();
        }
        finishPoll(read, sent, pages);
    }

    private static List<Map<String, String>> joined(List<Map<String, String>> page, List<Map<String, String>> more) {
        List<Map<String, String>> rows = new ArrayList<>(page.size() + more.size());
        rows.addAll(page);
        rows.addAll(more);
        return rows;
    }

    /** Holds the next page back while too many of this table's records await Kafka (see {@link ReadAhead}). */
    private void awaitKafka() throws InterruptedException {
        int limit = ReadAhead.inFlightLimit(pages.size());
        int waiting = tracker.inFlight();
        while (!tracker.awaitInFlightAtMost(limit, settings.ackWait()) && !stop.isStopped()) {
            throwIfSendFailed();
            waiting = reportIfKafkaSilent(waiting);
            LOG.info("Waiting for Kafka to acknowledge {} records of {}/{} before reading on", tracker.inFlight(),
                    instance, table.name());
        }
        throwIfSendFailed();
    }

    /** After an empty page: the rows after the pages row-level ACLs hid entirely, if any (see {@link HiddenPages}). */
    private List<Map<String, String>> pastHiddenPages(String query) throws InterruptedException {
        HiddenPages.Found found = hiddenPages.after(query);
        if (!found.rows().isEmpty()) {
            progress.pageRead(found.rows().size(), found.limit());
            progress.hiddenRows(found.hiddenRows());
        }
        return found.rows();
    }

    /**
     * Reads one page, in smaller pages when the instance cancels them as too long (see {@link AdaptivePages}),
     * usually requested while the previous page was being sent ({@link ReadAhead}).
     * A single row that still cannot be read is named in a retriable error: nothing after it is read until it
     * can be, and nothing is skipped.
     */
    private List<Map<String, String>> readPage(String query) throws InterruptedException {
        try {
            return readAhead.take(query, this::readRows);
        } catch (TransactionCancelledException e) {
            throw unreadableRow(query, e);
        }
    }

    /** One page of the rows of {@code query}, read on this poller's thread or ahead of it. */
    private List<Map<String, String>> readRows(String query) throws InterruptedException {
        return pages.read(reader, table.name(), query, fields);
    }

    private RetriableServiceNowException unreadableRow(String query, TransactionCancelledException e)
            throws InterruptedException {
        String row = "the row after " + (readPosition == null ? "the start of the table" : readPosition);
        try {
            List<Map<String, String>> keys = reader.read(new TableRead(table.name(), query,
                    List.of("sys_id", "sys_updated_on"), 1));
            if (!keys.isEmpty()) {
                row = "row " + keys.get(0).get("sys_id") + " (sys_updated_on " + keys.get(0).get("sys_updated_on")
                        + ")";
            }
        } catch (ServiceNowException notEvenItsKey) {
            LOG.debug("Cannot read the key of the row that cannot be read: {}", notEvenItsKey.getMessage());
        }
        return new RetriableServiceNowException(instance, table.name(), e.httpStatus(), row + " cannot be read "
                + "within the instance's transaction time limit even alone (fields " + (fields.isEmpty() ? "all"
                : fields) + "); it is tried again at every poll and no later row is read before it: "
                + e.detail(), e);
    }

    private void finishPoll(long read, long sent, int pages) throws InterruptedException {
        if (stop.isStopped()) {
            return;
        }
        int waiting = tracker.inFlight();
        boolean acknowledged = tracker.awaitAcknowledged(settings.ackWait());
        throwIfSendFailed();
        if (!acknowledged) {
            LOG.debug("{} records still wait for Kafka after {}", tracker.inFlight(), settings.ackWait());
            reportIfKafkaSilent(waiting);
        }
        positions.requestFlush();
        if (sent > 0) {
            LOG.info("Poll of {}/{} read {} rows in {} pages and sent {} changes to {}; read up to {}",
                    instance, table.name(), read, pages, sent, table.topic(), readPosition);
        } else {
            LOG.debug("Poll read {} rows in {} pages, nothing new", read, pages);
        }
    }

    /** Sends {@code row} unless this version was emitted already; returns whether it was sent. */
    private boolean handle(Map<String, String> row, Position position) {
        if (readPosition == null || position.isAfter(readPosition)) {
            readPosition = position;
        }
        String sysId = position.sysId();
        if (!modCountMissingTold && row.get("sys_mod_count") == null) {
            modCountMissingTold = true;
            LOG.warn("Instance '{}', table '{}': rows come without sys_mod_count (the integration user may not read "
                    + "it): versions are told apart by their content instead, events carry no mod count, and "
                    + "reconciliation cannot see changes that left sys_updated_on alone. Grant read access to "
                    + "sys_mod_count", instance, table.name());
        }
        DedupeCache.Version version = RowEvents.versionOf(row);
        boolean done = emitted.contains(sysId, version);
        if (done) {
            emitted.remember(sysId, version, position.updatedOn());
            LOG.trace("Row {} updated {} was sent already in this version", sysId, position.updatedOn());
            return false;
        }
        if (isSinkWrite(sysId, row.get("sys_mod_count"))) {
            // The sink wrote this version from Kafka: sending it would echo the change back.
            LOG.trace("Row {} at mod count {} was written by the sink; not sent", sysId, row.get("sys_mod_count"));
            progress.echoSuppressed();
            // Counted as handled, so that neither the re-read window nor reconciliation sends it later.
            remember(row, version, position);
            return false;
        }
        LOG.trace("Sending row {} updated {}", sysId, position.updatedOn());
        send(RowEvents.eventOf(instance, table.name(), row, position.updatedOn()), position);
        remember(row, version, position);
        return true;
    }

    /** Records that this version of {@code row} was sent, for dedupe and reconciliation. */
    private void remember(Map<String, String> row, Position position) {
        remember(row, RowEvents.versionOf(row), position);
    }

    private void remember(Map<String, String> row, DedupeCache.Version version, Position position) {
        emitted.remember(position.sysId(), version, position.updatedOn());
        if (sentVersions != null) {
            sentVersions.sent(position.sysId(), row.get("sys_mod_count"), position.updatedOn());
        }
    }

    private boolean isSinkWrite(String sysId, String modCount) {
        try {
            return sinkWrites.isEcho(instance, table.name(), sysId, modCount, SINK_ANSWER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(ChangeEvent event, Position position) {
        byte[] value;
        try {
            value = serializer.serialize(event);
        } catch (RuntimeException e) {
            // Skipping the event would lose it: the table stops instead.
            progress.addFailed();
            throw new SerializerFailedException(instance, table.name(), event.sysId(), e);
        }
        AckTracker.Pending pending = tracker.register(position);
        try {
            producer.send(table.topic(), event, value, serializer.contentType(),
                    (metadata, error) -> progress.settled(pending, error));
        } catch (InterruptException e) {
            pending.failed(e);
            throw e;
        } catch (RuntimeException e) {
            pending.failed(e);
            progress.addFailed();
        }
    }

    private void throwIfSendFailed() {
        Throwable failure = tracker.failure();
        if (failure != null) {
            throw new SendFailedException("Instance '" + instance + "', table '" + table.name() + "': Kafka did "
                    + "not accept a record for topic " + table.topic() + ": " + failure
                    + "; reading again from the last acknowledged position", failure);
        }
    }

    /**
     * After a wait of {@code ackWait} for Kafka: when not one of the {@code before} records that awaited it
     * was acknowledged meanwhile, Kafka is taken to be unreachable and the table shows RETRYING (and logs it
     * once) right away. The producer only gives up on the records after {@code delivery.timeout.ms}, which
     * then reads them again as for any refused record; until then the table would look healthy.
     *
     * @return how many records await Kafka now, for the next wait
     */
    private int reportIfKafkaSilent(int before) {
        int now = tracker.inFlight();
        if (now == 0 || now < before || stop.isStopped()) {
            return now;
        }
        kafkaSilent = true;
        String message = "Instance '" + instance + "', table '" + table.name() + "': Kafka acknowledged none of "
                + now + " records sent to topic " + table.topic() + " in " + settings.ackWait().toSeconds()
                + " s (still waiting; unacknowledged records are read again if Kafka gives up on them)";
        progress.lastError(message);
        if (progress.state() == EngineState.RUNNING) {
            progress.state(EngineState.RETRYING);
            LOG.warn("{}", message);
        }
        return now;
    }

    /** Starts over from {@code position} as after an engine start: fresh tracking, fresh dedupe. */
    private void restartFrom(Position position) {
        tracker = new AckTracker(position);
        keyset.restart(position);
        readPosition = position;
        // What the previous run sent is not known: every row of the re-read window behind the position is sent
        // again. Rows of that window cannot be taken as sent, since a row committed late behind the position
        // (or in its second, with a smaller sys_id) while the bridge was down looks just like one.
        emitted.clear();
    }

    /**
     * The instance asked for a long pause (a 429 with a long {@code Retry-After}, received by any reader of it):
     * the table shows RETRYING with the end of the wait until a poll goes through again. Any thread.
     */
    private void rateLimited(String message) {
        if (stop.isStopped()) {
            return;
        }
        progress.lastError(message);
        if (progress.state() == EngineState.RUNNING) {
            progress.state(EngineState.RETRYING);
        }
    }

    /**
     * A series of retries can take minutes before it gives up; a failure that outlasts its first retry shows
     * in status and health (and once in the log) right away, so an unreachable instance is not reported
     * as running meanwhile. A single failed attempt is left to the retry.
     */
    private void readFailing(int failedInARow, RetriableServiceNowException failure) {
        if (failedInARow < 2 || stop.isStopped()) {
            return;
        }
        // Named for this table even when the failing read was a helper's (sys_user, sys_audit_delete).
        String message = new RetriableServiceNowException(instance, table.name(), failure.httpStatus(),
                failure.detail() + " (still retrying)", failure).getMessage();
        progress.lastError(message);
        if (progress.state() == EngineState.RUNNING) {
            progress.state(EngineState.RETRYING);
            LOG.warn("{}", message);
        }
    }

    private void retryLater(String message, Exception cause) {
        progress.lastError(message);
        progress.state(EngineState.RETRYING);
        failures.failed(message, cause);
    }

    private void recovered() {
        if (fatalInARow > 0) {
            LOG.info("Table {}/{} recovered after failing {} times in a row: its reads go through again", instance,
                    table.name(), fatalInARow);
            fatalInARow = 0;
            progress.revived();
        }
        if (failures.failuresInARow() == 0 && progress.state() == EngineState.RETRYING) {
            // Retried reads went through, or Kafka acknowledged again, after the table was reported retrying
            // without a failed poll (see readFailing, reportIfKafkaSilent).
            LOG.info("Polling {}/{} recovered: a poll read and sent what it should", instance, table.name());
        }
        failures.succeeded();
        progress.credentialsRefused(false);
        progress.state(EngineState.RUNNING);
    }

    private void pollEnded(Instant startedAt, long startNanos, PollOutcome outcome) {
        if (!stop.isStopped()) {
            progress.pollEnded(startedAt, Duration.ofNanos(System.nanoTime() - startNanos), outcome);
        }
    }

    /** The wait after the {@code failures}-th failure in a row that retrying within a poll cannot cure. */
    private Duration failedRetry(long failures) {
        return doubled(settings.failedRetry(), failures, FAILED_RETRY_LIMIT);
    }

    /**
     * Refused credentials do not cure themselves quickly, and every attempt may count towards locking the
     * account: the pause doubles with each refusal in a row, up to {@link #AUTH_BACKOFF_LIMIT}.
     */
    private Duration authBackoff() {
        return doubled(settings.retry().initialDelay(), failures.failuresInARow(), AUTH_BACKOFF_LIMIT);
    }

    /** {@code first} after the first failure in a row, doubled after each further one, at most {@code limit}. */
    private static Duration doubled(Duration first, long failuresInARow, Duration limit) {
        long doublings = Math.min(20, Math.max(0, failuresInARow - 1));
        Duration pause = first.multipliedBy(1L << doublings);
        return pause.compareTo(limit) > 0 ? limit : pause;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
