package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.support.EngineThreads;
import io.snkb.bridge.internal.support.RepeatedFailureLog;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.RetriableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the positions the tables may commit to the offset store, all in one call: at every
 * {@code interval}, and sooner when a poller asks after a page. Only changed positions are written.
 *
 * <p>All writes happen on this writer's own thread (or on the closing thread after {@link #stop()}), so
 * that interrupting a poller to stop it can never interrupt a file write half-way. A
 * {@link RetriableException} from the store is logged and tried again at the next tick; any other
 * failure is fatal for the engine and reported to the handler given at construction.
 *
 * <p>Thread-safe.
 */
public final class PositionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PositionWriter.class);

    private final OffsetStore store;
    private final Duration interval;
    private final Consumer<RuntimeException> onFatal;
    private final Map<PositionKey, Source> sources = new ConcurrentHashMap<>();
    private final RepeatedFailureLog failures = new RepeatedFailureLog(LOG, "Writing positions");
    private final Object wakeUp = new Object();
    private boolean flushRequested;
    private volatile boolean stopped;
    private volatile boolean broken;
    private Thread thread;

    /** One stream's position: how far it may go, and where the last stored value is kept. */
    private record Source(Supplier<Position> committable, Supplier<Position> stored, Consumer<Position> onStored) {
    }

    /**
     * @param store    where positions go
     * @param interval the longest time between two writes while positions move
     * @param onFatal  told once when the store fails for good; called on the writer's thread
     */
    public PositionWriter(OffsetStore store, Duration interval, Consumer<RuntimeException> onFatal) {
        this.store = Objects.requireNonNull(store, "store");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.onFatal = Objects.requireNonNull(onFatal, "onFatal");
    }

    /** Adds a table; its progress already holds the position read from the store, if any. */
    void register(TableProgress progress, Supplier<Position> committable) {
        sources.put(progress.key(), new Source(committable, progress::storedPosition, progress::storedPosition));
    }

    /** Adds another stream of a table, e.g. its deletes, whose stored position {@code holder} keeps. */
    void register(PositionKey key, Supplier<Position> committable, Supplier<Position> stored,
                  Consumer<Position> onStored) {
        sources.put(key, new Source(committable, stored, onStored));
    }

    /** Starts the writer thread. */
    public synchronized void start(EngineThreads threads) {
        thread = threads.newThread("snkb-positions", this::run);
        thread.start();
    }

    /** Asks for a write soon, without waiting for it. */
    void requestFlush() {
        synchronized (wakeUp) {
            flushRequested = true;
            wakeUp.notifyAll();
        }
    }

    /** Stops the writer thread and waits for it, at most {@code timeout}; a final {@link #flush()} follows. */
    public void stop(Duration timeout) throws InterruptedException {
        stopped = true;
        requestFlush();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.join(Math.max(1, timeout.toMillis()));
        }
    }

    /**
     * Writes every changed position now, on the calling thread. Returns {@code false} when the store
     * refused; never throws.
     */
    public synchronized boolean flush() {
        if (broken) {
            return false;
        }
        Map<PositionKey, Position> changed = new LinkedHashMap<>();
        sources.forEach((key, source) -> {
            Position next = source.committable().get();
            if (next != null && !next.equals(source.stored().get())) {
                changed.put(key, next);
            }
        });
        if (changed.isEmpty()) {
            return true;
        }
        try {
            store.write(changed);
        } catch (RetriableException e) {
            failures.failed(e.getMessage(), e);
            return false;
        } catch (RuntimeException e) {
            broken = true;
            LOG.error("The offset store failed for good; stopping the sources: {}", e.toString(), e);
            onFatal.accept(e);
            return false;
        }
        failures.succeeded();
        changed.forEach((key, position) -> sources.get(key).onStored().accept(position));
        LOG.debug("Stored positions {}", changed);
        return true;
    }

    private void run() {
        while (!stopped && !broken) {
            awaitTickOrRequest();
            if (!stopped) {
                flush();
            }
        }
    }

    private void awaitTickOrRequest() {
        synchronized (wakeUp) {
            long deadline = System.nanoTime() + interval.toNanos();
            try {
                while (!flushRequested && !stopped) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                stopped = true;
                Thread.currentThread().interrupt();
            }
            flushRequested = false;
        }
    }
}
