package io.snkb.bridge.internal.sink;

import io.snkb.bridge.internal.servicenow.RetrySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Sink tuning the configuration file does not expose, with production defaults; tests shorten the waits.
 * Immutable.
 *
 * @param retry          how writes are retried after retriable failures
 * @param commitInterval how often offsets of fully handled records are committed
 * @param pollTimeout    the longest one poll of the consumer blocks
 * @param maxQueued      records of one topic handed to workers and not yet handled before the consumer
 *                       pauses fetching
 * @param deadLetterTimeout how long Kafka may take to acknowledge a dead letter
 * @param pause          the wait before a dead letter is sent again, or a record retried after refused credentials
 */
public record SinkSettings(RetrySettings retry, Duration commitInterval, Duration pollTimeout, int maxQueued,
                           Duration deadLetterTimeout, Duration pause) {

    public static final SinkSettings DEFAULT = new SinkSettings(RetrySettings.DEFAULT, Duration.ofSeconds(5),
            Duration.ofMillis(200), 2_000, Duration.ofSeconds(30), Duration.ofSeconds(10));

    public SinkSettings {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(deadLetterTimeout, "deadLetterTimeout");
        Objects.requireNonNull(pause, "pause");
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be positive: " + maxQueued);
        }
    }
}
