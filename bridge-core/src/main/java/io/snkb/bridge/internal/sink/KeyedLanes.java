package io.snkb.bridge.internal.sink;

import io.snkb.bridge.internal.support.EngineThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of single-threaded lanes; work with the same key always runs on the same lane, in the
 * order submitted. Two tasks of one key therefore never run at once or out of order, while tasks of
 * different keys run in parallel on up to {@code lanes} threads (keys that share a lane wait for each
 * other, which keeps the order without bookkeeping per key).
 *
 * <p>Thread-safe. Owns its threads; {@link #shutdown(Duration)} stops them.
 */
final class KeyedLanes {
    private final List<ExecutorService> lanes = new ArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();

    KeyedLanes(String name, int count, EngineThreads threads) {
        for (int i = 0; i < count; i++) {
            String threadName = name + "-" + i;
            lanes.add(new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    task -> threads.newThread(threadName, task)));
        }
    }

    void submit(Object key, Runnable task) {
        queued.incrementAndGet();
        lanes.get(Math.floorMod(key.hashCode(), lanes.size())).execute(() -> {
            try {
                task.run();
            } finally {
                queued.decrementAndGet();
            }
        });
    }

    /** Tasks submitted and not yet finished. */
    int inFlight() {
        return queued.get();
    }

    /**
     * Lets running tasks finish up to {@code timeout}, then interrupts them; tasks still queued run only
     * if they check for the stop themselves. True when every lane ended in time.
     */
    boolean shutdown(Duration timeout) throws InterruptedException {
        lanes.forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = true;
        for (ExecutorService lane : lanes) {
            ended &= lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (!ended) {
            lanes.forEach(ExecutorService::shutdownNow);
            for (ExecutorService lane : lanes) {
                lane.awaitTermination(1, TimeUnit.SECONDS);
            }
        }
        return ended;
    }
}
