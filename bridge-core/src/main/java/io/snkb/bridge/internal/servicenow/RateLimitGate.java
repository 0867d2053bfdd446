package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.internal.support.StopSignal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limit of one instance, shared by every reader and writer of it: after a 429 no request is
 * sent to the instance until the {@code Retry-After} it asked for has passed, whichever thread got the
 * 429. A request would only be denied again and, with hourly rules, prolong the block.
 *
 * <p>Thread-safe.
 */
public final class RateLimitGate {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimitGate.class);
    /** A wait this long is shown in the status of the instance's tables, not only in the lag. */
    public static final Duration LONG_WAIT = Duration.ofSeconds(10);

    private final String instance;
    private final ApiMetrics metrics;
    private final Object lock = new Object();
    private final AtomicInteger inARow = new AtomicInteger();
    private final List<Consumer<String>> longWaitListeners = new CopyOnWriteArrayList<>();
    /** {@link System#nanoTime()} before which no request goes out; guarded by {@code lock}. */
    private long closedUntil = System.nanoTime();

    RateLimitGate(String instance, ApiMetrics metrics) {
        this.instance = instance;
        this.metrics = metrics;
    }

    /**
     * Records a 429 and waits until the instance accepts requests again. Throws {@link InterruptedException}
     * when {@code stop} is signalled or the thread interrupted during the wait.
     */
    public void waitOut(RateLimitedException e, StopSignal stop) throws InterruptedException {
        synchronized (lock) {
            closedUntil = Math.max(closedUntil, System.nanoTime() + e.retryAfter().toNanos());
        }
        int count = inARow.incrementAndGet();
        if (e.retryAfter().compareTo(LONG_WAIT) >= 0) {
            String message = "Instance '" + instance + "' rate limited its requests (HTTP 429): none is sent before "
                    + Instant.now().plus(e.retryAfter()).truncatedTo(ChronoUnit.SECONDS) + ", "
                    + e.retryAfter().toSeconds() + " s as its Retry-After asks";
            longWaitListeners.forEach(listener -> listener.accept(message));
        }
        if (count == 1) {
            LOG.info("Rate limited by instance '{}', waiting {} s as asked", instance, e.retryAfter().toSeconds());
        } else {
            LOG.debug("Rate limited by instance '{}' again ({} times in a row), waiting {} s", instance, count,
                    e.retryAfter().toSeconds());
        }
        metrics.rateLimitWaited(Duration.ofNanos(sleepWhileClosed(stop)));
    }

    /**
     * Calls {@code listener} with a message naming the instance and the end of the wait each time a 429 closes
     * the gate for {@link #LONG_WAIT} or more, from the thread that received it.
     */
    public void onLongWait(Consumer<String> listener) {
        longWaitListeners.add(listener);
    }

    /** Waits while a 429 received by any thread still holds; returns at once when none does. */
    public void awaitOpen(StopSignal stop) throws InterruptedException {
        long waited = sleepWhileClosed(stop);
        if (waited > 0) {
            metrics.rateLimitWaited(Duration.ofNanos(waited));
        }
    }

    private long sleepWhileClosed(StopSignal stop) throws InterruptedException {
        long started = System.nanoTime();
        long wait;
        while ((wait = remainingNanos()) > 0) {
            if (stop.await(Duration.ofNanos(wait))) {
                throw new InterruptedException("stopped while waiting out a rate limit of instance '"
                        + instance + "'");
            }
        }
        return System.nanoTime() - started;
    }

    /** A request went through: the next 429 starts a new run for logging. */
    public void passed() {
        inARow.set(0);
    }

    /** Whether a 429 holds requests back now. */
    boolean isClosed() {
        return remainingNanos() > 0;
    }

    private long remainingNanos() {
        synchronized (lock) {
            return closedUntil - System.nanoTime();
        }
    }
}
