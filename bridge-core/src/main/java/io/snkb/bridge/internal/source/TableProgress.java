package io.snkb.bridge.internal.source;

import io.snkb.bridge.EngineState;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
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
    private volatile String lastError;
    private volatile Position storedPosition;
    private volatile Instant lastPollAt;

    public TableProgress(PositionKey key, String topic) {
        this.key = key;
        this.topic = topic;
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

    /** Marks the table failed with a message that must contain no secret. */
    public void failed(String error) {
        lastError = error;
        state = EngineState.FAILED;
    }

    public void lastError(String error) {
        lastError = error;
    }

    public Position storedPosition() {
        return storedPosition;
    }

    public void storedPosition(Position position) {
        storedPosition = position;
    }

    void addRead(long rows) {
        recordsRead.addAndGet(rows);
    }

    void addProduced() {
        recordsProduced.incrementAndGet();
    }

    void pollFinished(Instant at) {
        lastPollAt = at;
    }

    /** A snapshot for the engine's status. */
    public TableStatus snapshot() {
        return new TableStatus(key.instance(), key.table(), topic, state, lastError, storedPosition,
                recordsRead.get(), recordsProduced.get(), lastPollAt);
    }
}
