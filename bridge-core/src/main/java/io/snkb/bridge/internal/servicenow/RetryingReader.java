package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.internal.support.StopSignal;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads pages through a {@link ServiceNowClient} with the retries of {@link RetryingCalls}: a 429 waits
 * the full {@code Retry-After} shared by the instance, other retriable failures are retried with backoff
 * until the series runs out; the caller decides what to do next (the poller tries again on its next cycle).
 *
 * <p>A {@link TransactionCancelledException}
 * is thrown at once: only a smaller page can help.
 *
 * <p>Thread-safe.
 */
public final class RetryingReader {
    private final ServiceNowClient client;
    private final RetryingCalls calls;
    private final AtomicInteger failedInARow = new AtomicInteger();
    private volatile FailureListener listener = (attempts, failure) -> { };

    /** Told of each failed attempt, before the reader retries or gives up, on the reading thread. */
    @FunctionalInterface
    public interface FailureListener {
        /** {@code failedInARow} counts failed attempts since the last page read, this one included. */
        void retrying(int failedInARow, RetriableServiceNowException failure);
    }

    public RetryingReader(ServiceNowClient client, RetrySettings settings, StopSignal stop) {
        this.client = client;
        this.calls = new RetryingCalls(client, settings, stop);
    }

    /**
     * Tells {@code listener} of failed attempts as they happen, so that trouble shows before a series of
     * retries gives up, which takes minutes.
     */
    public void onRetry(FailureListener listener) {
        this.listener = listener;
    }

    /** The rate limit of the instance read. */
    public RateLimitGate rateLimit() {
        return client.rateLimit();
    }

    /** Reads one page; throws {@link InterruptedException} when stopped by interruption. */
    public List<Map<String, String>> read(TableRead read) throws InterruptedException {
        List<Map<String, String>> rows = calls.run(() -> attempt(() -> client.read(read)));
        failedInARow.set(0);
        return rows;
    }

    /** Reads one page by offset, with what the instance said of the rows after it. */
    public OffsetPage readByOffset(TableRead read) throws InterruptedException {
        OffsetPage page = calls.run(() -> attempt(() -> client.readByOffset(read)));
        failedInARow.set(0);
        return page;
    }

    /** How many rows match {@code query} before row-level ACLs, if the instance says ({@code X-Total-Count}). */
    public OptionalLong count(String table, String query) throws InterruptedException {
        OptionalLong count = calls.run(() -> client.count(table, query));
        failedInARow.set(0);
        return count;
    }

    /** One attempt of {@code call}; a failure but a rate limit or a cancelled page is told to the listener. */
    private <T> T attempt(RetryingCalls.Call<T> call) throws InterruptedException {
        try {
            return call.attempt();
        } catch (RateLimitedException | TransactionCancelledException e) {
            throw e;
        } catch (RetriableServiceNowException e) {
            listener.retrying(failedInARow.incrementAndGet(), e);
            throw e;
        }
    }
}
