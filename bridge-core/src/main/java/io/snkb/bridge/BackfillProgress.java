package io.snkb.bridge;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a running {@link Backfill}. Immutable; the counters of one snapshot may be a few
 * milliseconds apart.
 *
 * @param state        where the backfill is
 * @param ranges       how many {@code sys_id} ranges it reads
 * @param rangesDone   how many of them are copied completely
 * @param sent         records handed to Kafka by this run
 * @param acknowledged records Kafka acknowledged in this run
 * @param hidden       rows stepped over in this run because row-level ACLs hid whole pages of them from the
 *                     integration user: ServiceNow counts them in {@code expected} but never sends them. Rows
 *                     hidden in pages that also held visible rows are not known, so this is a lower bound
 * @param expected     rows still to copy when this run started, from ServiceNow's {@code X-Total-Count};
 *                     {@code -1} when the instance did not say
 * @param elapsed      time since this run started
 * @param error        what ended a failed backfill, or {@code null}
 */
public record BackfillProgress(State state, int ranges, int rangesDone, long sent, long acknowledged, long hidden,
                               long expected, Duration elapsed, String error) {

    /** The life of a backfill. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** Copying. */
        RUNNING,
        /** Every range copied and acknowledged; its positions are removed from the store. */
        COMPLETED,
        /** Stopped before the end; running the same backfill again resumes it. */
        STOPPED,
        /** Ended by an error; running the same backfill again resumes it. */
        FAILED
    }

    /** Acknowledged records per second so far. */
    public double ratePerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : acknowledged / seconds;
    }

    /**
     * The time left at the rate so far; empty when the expected count or the rate is unknown. Rows changed
     * while the backfill runs can make it end a little earlier or later.
     */
    public Optional<Duration> eta() {
        double rate = ratePerSecond();
        if (expected < 0 || rate <= 0) {
            return Optional.empty();
        }
        long left = Math.max(0, expected - acknowledged - hidden);
        return Optional.of(Duration.ofMillis((long) (left / rate * 1000)));
    }

    /** Whether the backfill has ended, one way or another. */
    public boolean finished() {
        return state == State.COMPLETED || state == State.STOPPED || state == State.FAILED;
    }
}
