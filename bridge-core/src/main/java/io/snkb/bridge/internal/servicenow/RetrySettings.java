package io.snkb.bridge.internal.servicenow;

import java.time.Duration;
import java.util.Objects;

/**
 * How one read is retried after retriable failures: exponential backoff from {@code initialDelay} to
 * {@code maxDelay} with jitter, for at most {@code maxDuration} per attempt series. Waits asked for by
 * a 429 are not part of this budget. Immutable.
 *
 * @param initialDelay the pause after the first failure
 * @param maxDelay     the longest pause between two attempts
 * @param maxDuration  how long one series of attempts may last before the read is given up for this poll
 */
public record RetrySettings(Duration initialDelay, Duration maxDelay, Duration maxDuration) {

    /** One second growing to thirty, for up to two minutes. */
    public static final RetrySettings DEFAULT =
            new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));

    public RetrySettings {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("Need 0 < initialDelay <= maxDelay: " + initialDelay + ", " + maxDelay);
        }
    }
}
