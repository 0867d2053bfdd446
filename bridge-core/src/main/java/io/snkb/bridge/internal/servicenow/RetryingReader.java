package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.internal.support.StopSignal;
import java.util.List;
import java.util.Map;

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

    public RetryingReader(ServiceNowClient client, RetrySettings settings, StopSignal stop) {
        this.client = client;
        this.calls = new RetryingCalls(client, settings, stop);
    }

    /** Reads one page; throws {@link InterruptedException} when stopped by interruption. */
    public List<Map<String, String>> read(TableRead read) throws InterruptedException {
        return calls.run(() -> client.read(read));
    }
}
