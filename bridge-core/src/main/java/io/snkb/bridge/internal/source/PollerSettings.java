package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.RetrySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the pollers that the configuration file does not expose. Immutable.
 *
 * @param retry            how a failed read is retried within one poll
 * @param dedupeCapacity   the most rows a poller remembers as emitted
 * @param ackWait          how long the end of a poll waits for Kafka to acknowledge its records
 * @param positionInterval the longest time between two position writes while positions move
 * @param failedRetry      how long a table that failed for good (403, no such table) waits before it is read
 *                         again, doubled with each failure in a row up to {@link TablePoller#FAILED_RETRY_LIMIT}
 */
public record PollerSettings(RetrySettings retry, int dedupeCapacity, Duration ackWait, Duration positionInterval,
                             Duration failedRetry) {

    /** Defaults for production. */
    public static final PollerSettings DEFAULT =
            new PollerSettings(RetrySettings.DEFAULT, 100_000, Duration.ofSeconds(30), Duration.ofSeconds(1));

    /** Settings with the default wait of a failed table, one minute. */
    public PollerSettings(RetrySettings retry, int dedupeCapacity, Duration ackWait, Duration positionInterval) {
        this(retry, dedupeCapacity, ackWait, positionInterval, Duration.ofMinutes(1));
    }

    public PollerSettings {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(ackWait, "ackWait");
        Objects.requireNonNull(positionInterval, "positionInterval");
        Objects.requireNonNull(failedRetry, "failedRetry");
        if (dedupeCapacity < 1) {
            throw new IllegalArgumentException("dedupeCapacity must be positive: " + dedupeCapacity);
        }
    }

    public PollerSettings withRetry(RetrySettings newRetry) {
        return new PollerSettings(newRetry, dedupeCapacity, ackWait, positionInterval, failedRetry);
    }

    public PollerSettings withDedupeCapacity(int capacity) {
        return new PollerSettings(retry, capacity, ackWait, positionInterval, failedRetry);
    }

    public PollerSettings withFailedRetry(Duration wait) {
        return new PollerSettings(retry, dedupeCapacity, ackWait, positionInterval, wait);
    }
}
