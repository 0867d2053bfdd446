package io.snkb.bridge.internal.servicenow;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.snkb.bridge.internal.support.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pages through a {@link ServiceNowClient}, retrying retriable failures with a Failsafe policy.
 *
 * <p>A 429 is honoured outside the policy: the reader waits the full {@code Retry-After}, however long,
 * then starts a fresh attempt series, so a rate limit never exhausts the retry budget. When a series runs
 * out, the last failure is thrown as a {@link RetriableServiceNowException} that says how many attempts
 * were made; the caller decides what to do next (the poller tries again on its next cycle). A
 * {@link TransactionCancelledException} is thrown at once: only a smaller page can help.
 *
 * <p>Not thread-safe: each poller has its own.
 */
public final class RetryingReader {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingReader.class);

    private final ServiceNowClient client;
    private final RetrySettings settings;
    private final StopSignal stop;
    private final FailsafeExecutor<List<Map<String, String>>> failsafe;
    /** Only the poller's own thread reads and writes it. */
    private int rateLimitsInARow;

    public RetryingReader(ServiceNowClient client, RetrySettings settings, StopSignal stop) {
        this.client = client;
        this.settings = settings;
        this.stop = stop;
        this.failsafe = Failsafe.with(policy(settings));
    }

    private static RetryPolicy<List<Map<String, String>>> policy(RetrySettings settings) {
        return RetryPolicy.<List<Map<String, String>>>builder()
                .handleIf(e -> e instanceof RetriableServiceNowException && !(e instanceof RateLimitedException)
                        && !(e instanceof TransactionCancelledException))
                .withBackoff(settings.initialDelay(), settings.maxDelay())
                .withJitter(0.2)
                .withMaxRetries(-1)
                .withMaxDuration(settings.maxDuration())
                .onRetry(e -> LOG.debug("Attempt {} failed, retrying: {}", e.getAttemptCount(),
                        e.getLastException().getMessage()))
                .build();
    }

    /** Reads one page; throws {@link InterruptedException} when stopped by interruption. */
    public List<Map<String, String>> read(TableRead read) throws InterruptedException {
        while (true) {
            try {
                List<Map<String, String>> rows = attemptSeries(read);
                rateLimitsInARow = 0;
                return rows;
            } catch (RateLimitedException e) {
                waitOut(e);
            }
        }
    }

    /** Waits as the instance asked; the first 429 of a run is logged at INFO, the following at DEBUG. */
    private void waitOut(RateLimitedException e) throws InterruptedException {
        rateLimitsInARow++;
        if (rateLimitsInARow == 1) {
            LOG.info("Rate limited by instance '{}', waiting {} s as asked", client.instance(),
                    e.retryAfter().toSeconds());
        } else {
            LOG.debug("Rate limited by instance '{}' again ({} times in a row), waiting {} s", client.instance(),
                    rateLimitsInARow, e.retryAfter().toSeconds());
        }
        long started = System.nanoTime();
        boolean stopped = stop.await(e.retryAfter());
        client.metrics().rateLimitWaited(Duration.ofNanos(System.nanoTime() - started));
        if (stopped) {
            throw new InterruptedException("stopped while waiting out a rate limit");
        }
    }

    private List<Map<String, String>> attemptSeries(TableRead read) throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        try {
            return failsafe.get(context -> {
                attempts.incrementAndGet();
                return client.read(read);
            });
        } catch (RateLimitedException | TransactionCancelledException | FatalServiceNowException e) {
            throw e;
        } catch (RetriableServiceNowException e) {
            Duration spent = Duration.ofNanos(System.nanoTime() - started);
            throw new RetriableServiceNowException(e.instance(), e.table(), e.httpStatus(), e.detail()
                    + " (gave up after " + attempts.get() + " attempts in " + spent.toMillis() + " ms)", e);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e;
        }
    }
}
