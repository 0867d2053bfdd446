package io.snkb.bridge.internal.source;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * Requests the next page of a keyset scan while the rows of the current one are being sent, so that the
 * instance's answer time and the bridge's own work per page overlap instead of adding up. The next page's
 * query is known as soon as a page arrives (it starts after that page's last row), so one read is ahead at
 * most: the instance sees the same requests, in the same order, only sooner. (A poller with a backlog also
 * reads the page after that one, see {@link Continuation}.)
 *
 * <p>What a scan holds stays bounded: only pages of up to {@link #MAX_PAGE} rows are read ahead, and a scan
 * asks for no further page while Kafka has more of its records unacknowledged than
 * {@link #inFlightLimit(int)} allows.
 *
 * <p>A failure of a read ahead is thrown where the page is taken, exactly as a direct read would throw it.
 * A read ahead whose query is not the one asked for next (the scan stopped, or restarted elsewhere) is
 * cancelled and its answer dropped.
 *
 * <p>Not thread-safe: owned by the thread of one scan. The read runs on a thread of its own that carries the
 * owner's logging context.
 */
final class ReadAhead implements AutoCloseable {
    /**
     * The largest page read ahead. A page read ahead is held parsed beside the one being sent, doubling what a
     * scan holds; larger pages are not worth it, as the instance's answer time weighs little next to the work
     * of sending them.
     */
    static final int MAX_PAGE = 2_000;
    /** A scan waits before its next page while more of its records than this (or a page) await Kafka. */
    private static final int MIN_IN_FLIGHT_LIMIT = 5_000;
    /** One page read for a query. */
    @FunctionalInterface
    interface PageRead {
        List<Map<String, String>> read(String query) throws InterruptedException;
    }

    private final String threadName;
    private ExecutorService executor;
    private String pendingQuery;
    private Future<List<Map<String, String>>> pending;

    ReadAhead(String threadName) {
        this.threadName = threadName;
    }

    /** Whether pages of {@code pageSize} rows are read ahead. */
    static boolean worthIt(int pageSize) {
        return pageSize <= MAX_PAGE;
    }

    /**
     * How many of a scan's records may await Kafka's acknowledgement before it reads its next page: reading
     * on while Kafka is slower than the instance would only fill the heap with records waiting to be sent.
     */
    static int inFlightLimit(int pageSize) {
        return Math.max(pageSize, MIN_IN_FLIGHT_LIMIT);
    }

    /** Starts reading the page of {@code query}, dropping any other read ahead. */
    void start(String query, PageRead read) {
        cancel();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        pendingQuery = query;
        pending = executor().submit(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                return read.read(query);
            } finally {
                MDC.clear();
            }
        });
    }

    /** The page of {@code query}: the read ahead's answer when it was for this query, else read now. */
    List<Map<String, String>> take(String query, PageRead read) throws InterruptedException {
        if (pending == null || !Objects.equals(pendingQuery, query)) {
            cancel();
            return read.read(query);
        }
        Future<List<Map<String, String>>> future = pending;
        pending = null;
        pendingQuery = null;
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new InterruptedException("read ahead cancelled");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** Drops the read ahead, if any, interrupting it. */
    void cancel() {
        if (pending != null) {
            pending.cancel(true);
            pending = null;
            pendingQuery = null;
        }
    }

    @Override
    public void close() {
        cancel();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, threadName);
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }

    private static InterruptedException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof InterruptedException interrupted) {
            return interrupted;
        }
        throw new IllegalStateException("Reading ahead failed: " + cause, cause);
    }
}
