package io.snkb.bridge.internal.servicenow;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.snkb.bridge.internal.support.StopSignal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests of one instance, retrying retriable failures with a Failsafe policy: exponential backoff
 * with jitter, bounded by {@link RetrySettings#maxDuration()} per attempt series.
 *
 * <p>A 429 is honoured outside the policy through the instance's {@link RateLimitGate}: every caller
 * waits the full {@code Retry-After}, however long, then starts a fresh attempt series, so a rate limit
 * never exhausts the retry budget. When a series runs out, the last failure is thrown as a
 * {@link RetriableServiceNowException} that says how many attempts were made. A
 * {@link TransactionCancelledException} is not retried as it is: only a smaller page can help.
 *
 * <p>A call is made again whole on every attempt: it must build its request, body included, each time.
 * Thread-safe.
 */
public final class RetryingCalls {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingCalls.class);

    private final ServiceNowClient client;
    private final StopSignal stop;
    private final FailsafeExecutor<Object> failsafe;

    /** One request, made again on each attempt. */
    @FunctionalInterface
    public interface Call<T> {
        T attempt() throws InterruptedException;
    }

    public RetryingCalls(ServiceNowClient client, RetrySettings settings, StopSignal stop) {
        this.client = client;
        this.stop = stop;
        this.failsafe = Failsafe.with(policy(settings));
    }

    private static RetryPolicy<Object> policy(RetrySettings settings) {
        return RetryPolicy.builder()
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

    public ServiceNowClient client() {
        return client;
    }

    /** Runs {@code call} until it succeeds or fails for good; throws {@link InterruptedException} when stopped. */
    public <T> T run(Call<T> call) throws InterruptedException {
        return run(call, new AtomicInteger());
    }

    /** As {@link #run(Call)}, counting every attempt made, 429s included, in {@code attempts}. */
    public <T> T run(Call<T> call, AtomicInteger attempts) throws InterruptedException {
        RateLimitGate gate = client.rateLimit();
        while (true) {
            gate.awaitOpen(stop);
            try {
                T result = attemptSeries(call, attempts);
                gate.passed();
                return result;
            } catch (RateLimitedException e) {
                gate.waitOut(e, stop);
            }
        }
    }

    private <T> T attemptSeries(Call<T> call, AtomicInteger attempts) throws InterruptedException {
        int before = attempts.get();
        long started = System.nanoTime();
        try {
            return failsafe.get(context -> {
                attempts.incrementAndGet();
                return call.attempt();
            });
        } catch (RateLimitedException | TransactionCancelledException | FatalServiceNowException e) {
            throw e;
        } catch (RetriableServiceNowException e) {
            Duration spent = Duration.ofNanos(System.nanoTime() - started);
            throw new RetriableServiceNowException(e.instance(), e.table(), e.httpStatus(), e.detail()
                    + " (gave up after " + (attempts.get() - before) + " attempts in " + spent.toMillis()
                    + " ms)", e);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e;
        }
    }
}
