package io.snkb.bridge.internal.sink;

import io.snkb.bridge.internal.support.EngineThreads;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a fixed number of threads, one at a time and in submission order per key, in parallel
 * across keys. A key's next task is queued behind the other keys' work once the previous one finished,
 * so no thread waits on a busy key while other keys have work, and a key with a long backlog takes its
 * turn with the others.
 *
 * <p>Thread-safe. Owns its threads; {@link #shutdown(Duration)} stops them.
 */
final class KeyedLanes {
    private final ThreadPoolExecutor workers;
    /** Tasks waiting behind the running one, per key that has a task running or queued; guarded by itself. */
    private final Map<Object, ArrayDeque<Runnable>> waiting = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    KeyedLanes(String name, int threads, EngineThreads factory) {
        AtomicInteger number = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> factory.newThread(name + "-" + number.getAndIncrement(), task));
    }

    void submit(Object key, Runnable task) {
        inFlight.incrementAndGet();
        synchronized (waiting) {
            ArrayDeque<Runnable> queue = waiting.get(key);
            if (queue != null) {
                queue.add(task);
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        schedule(key, task);
    }

    private void schedule(Object key, Runnable task) {
        try {
            workers.execute(() -> runThenNext(key, task));
        } catch (RejectedExecutionException e) {
            // Shutting down: the task is dropped, and so is its record's commit.
            inFlight.decrementAndGet();
        }
    }

    private void runThenNext(Object key, Runnable task) {
        try {
            task.run();
        } finally {
            inFlight.decrementAndGet();
        }
        Runnable next;
        synchronized (waiting) {
            ArrayDeque<Runnable> queue = waiting.get(key);
            next = queue.poll();
            if (next == null) {
                waiting.remove(key);
            }
        }
        if (next != null) {
            schedule(key, next);
        }
    }

    /** Tasks submitted and not yet finished. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Lets running tasks finish up to {@code timeout}, then interrupts them; tasks still queued run only
     * if they check for the stop themselves. True when every thread ended in time.
     */
    boolean shutdown(Duration timeout) throws InterruptedException {
        workers.shutdown();
        if (workers.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return true;
        }
        workers.shutdownNow();
        workers.awaitTermination(1, TimeUnit.SECONDS);
        return false;
    }
}
