package io.snkb.bridge.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the positions the engine has reached, so that a restart resumes where the last run stopped
 * without losing a record.
 *
 * <p>The engine calls {@link #open()} once from the thread that starts it, before any other method, and
 * {@link #close()} once when it stops. {@link #read} and {@link #write} may be called from any engine
 * thread, concurrently; implementations must be thread-safe.
 *
 * <p>Contract for {@link #write}: when it returns normally, the positions are durable (they survive a
 * crash of this process and of the machine), and the whole map was stored atomically: after a crash a
 * reader sees all of the positions of one call or none of them. A {@link RetriableException} means
 * nothing was stored and the engine calls again later with the same or newer positions. Any other
 * exception is fatal: the engine stops its sources rather than run without durable positions.
 *
 * <p>The engine owns the store passed to it and closes it.
 */
public interface OffsetStore extends AutoCloseable {

    /**
     * Prepares the store: opens files or connections and takes any lock that keeps two processes from
     * sharing it. Throws {@link IllegalStateException} naming the holder when the store is in use by
     * another process.
     */
    void open();

    /** The last position written for {@code key}, or empty when none was ever written. */
    Optional<Position> read(PositionKey key);

    /** Durably and atomically stores all of {@code positions}; see the interface contract. */
    void write(Map<PositionKey, Position> positions);

    /**
     * Durably forgets the positions of {@code keys}; keys without a position are ignored. A backfill calls it
     * when it has copied everything, so that the same backfill started later copies again instead of
     * resuming. The same contract as {@link #write} applies. The default refuses: with such a store a finished
     * backfill's positions stay, and running the same backfill again finds nothing left to copy.
     */
    default void remove(Collection<PositionKey> keys) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot remove positions");
    }

    /** Releases files, connections and locks. Called once; must not throw for an unopened store. */
    @Override
    void close();
}
