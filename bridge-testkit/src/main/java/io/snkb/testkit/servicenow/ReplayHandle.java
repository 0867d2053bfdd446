package io.snkb.testkit.servicenow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replay running on its own daemon thread. Thread-safe: progress may be read and {@link #stop()} called from
 * any thread. The replay thread is owned by the handle and ends when the replay completes or is stopped.
 */
public final class ReplayHandle {

    private final int total;
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CompletableFuture<ReplayResult> done = new CompletableFuture<>();

    ReplayHandle(int total) {
        this.total = total;
    }

    /** Completes with the result, or exceptionally if applying an event failed. */
    public CompletableFuture<ReplayResult> done() {
        return done;
    }

    /** Events applied so far. */
    public int applied() {
        return applied.get();
    }

    /** Events this replay is to apply. */
    public int total() {
        return total;
    }

    /** Asks the replay to stop after the event in progress; {@link #done()} then completes with stopped=true. */
    public void stop() {
        stopRequested.set(true);
    }

    boolean stopRequested() {
        return stopRequested.get();
    }

    void countApplied() {
        applied.incrementAndGet();
    }

    CompletableFuture<ReplayResult> future() {
        return done;
    }
}
