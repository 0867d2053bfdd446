package io.snkb.bridge.internal.source;

import io.snkb.bridge.DeleteCapture;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.internal.metrics.TableMetrics;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one source table, read by {@code status()} from any thread while the poller, the
 * producer's callbacks and the position writer update it. Thread-safe; each field is updated on its own,
 * so a snapshot may mix values a few milliseconds apart.
 */
public final class TableProgress {
    private final PositionKey key;
    private final String topic;
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong recordsProduced = new AtomicLong();
    private volatile EngineState state = EngineState.NEW;
    private volatile LastError lastError;
    private volatile Position storedPosition;
    private volatile Instant lastPollAt;
    private volatile Instant pollingSince;
    private volatile Instant caughtUpAsOf;
    private volatile boolean credentialsRefused;
    private volatile DeleteCapture deletes = DeleteCapture.PENDING;
    private volatile String deletesProblem;
    private volatile Position storedDeletesPosition;
    private final TableMetrics metrics;
    private final Clock clock;
    /** How many rows the last page fell short of its limit while it was not empty; poller thread only. */
    private long lastPageShortBy;

    public TableProgress(PositionKey key, String topic) {
        this(key, topic, TableMetrics.none(key.instance(), key.table()));
    }

    public TableProgress(PositionKey key, String topic, TableMetrics metrics) {
        this(key, topic, metrics, Clock.systemUTC());
    }

    /** @param clock tells when an error happened */
    public TableProgress(PositionKey key, String topic, TableMetrics metrics, Clock clock) {
        this.key = key;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** An error and when it happened, set together so that a snapshot never pairs one with the other's time. */
    private record LastError(String message, Instant at) {
    }

    public PositionKey key() {
        return key;
    }

    public String topic() {
        return topic;
    }

    public EngineState state() {
        return state;
    }

    /** Moves to {@code next} unless the table already failed for good. */
    public void state(EngineState next) {
        if (state != EngineState.FAILED || next == EngineState.FAILED) {
            state = next;
        }
    }

    /** A failed table read again successfully: it runs again (no other change of state leaves FAILED). */
    void revived() {
        if (state == EngineState.FAILED) {
            state = EngineState.RUNNING;
        }
    }

    /** A row version the sink wrote was not sent back into Kafka. */
    public void echoSuppressed() {
        metrics.echoSuppressed();
    }

    /** Marks the table failed with a message that must contain no secret. */
    public void failed(String error) {
        lastError(error);
        state = EngineState.FAILED;
    }

    public void lastError(String error) {
        lastError = new LastError(error, clock.instant());
    }

    public Position storedPosition() {
        return storedPosition;
    }

    public void storedPosition(Position position) {
        storedPosition = position;
    }

    void addRead(long rows) {
        recordsRead.addAndGet(rows);
        metrics.read(rows);
    }

    /**
     * One page of {@code rows} rows came back for a request of {@code limit}. ServiceNow applies the limit
     * before row-level ACLs, so a short page followed by a non-empty one had rows hidden from this user; a
     * short page followed by an empty one may simply be the end, and is not counted.
     */
    void pageRead(int rows, int limit) {
        addRead(rows);
        if (rows > 0 && lastPageShortBy > 0) {
            metrics.hidden(lastPageShortBy);
        }
        lastPageShortBy = rows > 0 && rows < limit ? limit - rows : 0;
    }

    /**
     * Kafka answered for one record. Counted before the tracker hears of it, so that a poll that saw every
     * record acknowledged sees them counted too.
     */
    void settled(AckTracker.Pending pending, Exception error) {
        if (error == null) {
            addProduced();
            pending.acknowledged();
        } else {
            pending.failed(error);
            addFailed();
        }
    }

    /** Rows a read stepped over because row-level ACLs hid whole pages of them. */
    void hiddenRows(long rows) {
        metrics.hidden(rows);
    }

    void addProduced() {
        recordsProduced.incrementAndGet();
        metrics.produced();
    }

    void addFailed() {
        metrics.failed();
    }

    void addDeleted() {
        metrics.deleted();
    }

    /** Where reconciliation differences are counted. */
    TableMetrics metrics() {
        return metrics;
    }

    /** How deletes are captured; a failed table reads nothing, so its deletes are not captured either. */
    public DeleteCapture deletes() {
        return failedWhileCapturing() ? DeleteCapture.NOT_CAPTURED : deletes;
    }

    public String deletesProblem() {
        return failedWhileCapturing() ? "the table failed, so sys_audit_delete is not read for it" : deletesProblem;
    }

    private boolean failedWhileCapturing() {
        return state == EngineState.FAILED
                && (deletes == DeleteCapture.CAPTURED || deletes == DeleteCapture.PENDING);
    }

    /** Deletes are switched off, or captured again after a problem ({@code problem} null). */
    void deletes(DeleteCapture capture, String problem) {
        deletes = capture;
        deletesProblem = problem;
    }

    /** The stored position of the table's stream in {@code sys_audit_delete}. */
    public Position storedDeletesPosition() {
        return storedDeletesPosition;
    }

    void storedDeletesPosition(Position position) {
        storedDeletesPosition = position;
    }

    /**
     * Registers the gauge that tells whether deletes are captured: 0 only once they are known not to be, so a table
     * whose deletes are switched off, or not read yet, does not set off an alert.
     */
    public void registerDeletesGauge() {
        metrics.deletesCaptured(() -> deletes() != DeleteCapture.NOT_CAPTURED);
    }

    /** The table's poller starts working at {@code at}; lag counts from here until the first caught-up poll. */
    public void pollingSince(Instant at) {
        pollingSince = at;
    }

    /** A poll begins: a short page of an earlier, failed poll says nothing about this one. */
    void pollStarted() {
        lastPageShortBy = 0;
    }

    /**
     * A poll that began at {@code startedAt} took {@code duration}; when it is {@code caughtUp} (read to an
     * empty page, every event acknowledged), everything ServiceNow held at its start is in Kafka.
     */
    void pollEnded(Instant startedAt, Duration duration, TableMetrics.PollOutcome outcome) {
        if (outcome == TableMetrics.PollOutcome.CAUGHT_UP) {
            caughtUpAsOf = startedAt;
        }
        metrics.poll(duration, outcome);
    }

    /**
     * Seconds the committed position is behind ServiceNow at {@code now}: measured from the newest of the
     * start of the last caught-up poll and the stored position's {@code sys_updated_on}, or from when polling
     * began when neither is known yet. Zero right after a poll that found nothing new; it rises while polls
     * fail or cannot keep up.
     */
    public double lagSeconds(Instant now) {
        Instant reference = caughtUpAsOf;
        Position stored = storedPosition;
        if (stored != null && (reference == null || stored.updatedOn().isAfter(reference))) {
            reference = stored.updatedOn();
        }
        if (reference == null) {
            reference = pollingSince;
        }
        if (reference == null) {
            return 0;
        }
        return Math.max(0, Duration.between(reference, now).toMillis() / 1000.0);
    }

    /** Registers this table's lag gauge, read with {@code clock} at each scrape. */
    public void registerLag(java.time.Clock clock) {
        metrics.lag(() -> lagSeconds(clock.instant()));
    }

    void pollFinished(Instant at) {
        lastPollAt = at;
    }

    /** Whether the instance refused the credentials on the last attempt. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }

    void credentialsRefused(boolean refused) {
        credentialsRefused = refused;
    }

    /** A snapshot for the engine's status. */
    public TableStatus snapshot() {
        LastError error = lastError;
        return new TableStatus(key.instance(), key.table(), topic, state, error == null ? null : error.message(),
                storedPosition, recordsRead.get(), recordsProduced.get(), lastPollAt, deletes(), deletesProblem(),
                error == null ? null : error.at());
    }
}
