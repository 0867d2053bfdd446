package io.snkb.bridge.internal.source;

import io.snkb.bridge.spi.Position;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.TreeMap;

/**
 * Follows the records of one table from send to Kafka acknowledgement and tells how far its position may
 * safely move: past every acknowledged record that has no unacknowledged record before it in send order.
 *
 * <p>Kafka acknowledges records of different partitions in any order, so a record acknowledged early
 * only counts once all records sent before it are acknowledged too. A row committed late in ServiceNow
 * can be sent after rows with later positions; while it is in flight the committable position stays
 * below it (even if that means going back), because a restart treats everything up to the stored
 * position as done.
 *
 * <p>Thread-safe: the poller registers records, the producer's I/O thread reports outcomes, the
 * position writer reads {@link #committable()}. Only the scan's own thread waits for room in
 * {@link #awaitInFlightAtMost}.
 */
final class AckTracker {
    private final Object lock = new Object();
    private final Deque<Pending> inSendOrder = new ArrayDeque<>();
    private final Comparator<Position> order;
    private final TreeMap<Position, Integer> unacknowledged;
    private Position acknowledgedPrefix;
    private Throwable failure;
    private int unsettled;
    /** The in-flight count the scan waits for in {@link #awaitInFlightAtMost}, or -1 while it does not wait. */
    private int wakeAtOrBelow = -1;

    /** @param base the position already stored, or {@code null} before the first */
    AckTracker(Position base) {
        this(base, Comparator.naturalOrder());
    }

    /**
     * @param base  the position already stored, or {@code null} before the first
     * @param order the order rows are read in; a backfill reads by {@code sys_id} alone
     */
    AckTracker(Position base, Comparator<Position> order) {
        this.acknowledgedPrefix = base;
        this.order = order;
        this.unacknowledged = new TreeMap<>(order);
    }

    /** A record handed to the producer, waiting for its outcome. */
    final class Pending {
        private final Position position;
        private boolean acknowledged;
        private boolean settled;

        private Pending(Position position) {
            this.position = position;
        }

        /** Kafka acknowledged the record. */
        void acknowledged() {
            settle(this, true, null);
        }

        /** Kafka refused the record, or it could not be sent. */
        void failed(Throwable cause) {
            settle(this, false, cause);
        }
    }

    /** Registers the next record in send order, at {@code position}. */
    Pending register(Position position) {
        synchronized (lock) {
            Pending pending = new Pending(position);
            inSendOrder.addLast(pending);
            unacknowledged.merge(position, 1, Integer::sum);
            unsettled++;
            return pending;
        }
    }

    private void settle(Pending pending, boolean acknowledged, Throwable cause) {
        synchronized (lock) {
            if (pending.settled) {
                return;
            }
            pending.settled = true;
            unsettled--;
            if (!acknowledged) {
                failure = failure == null ? cause : failure;
                lock.notifyAll();
                return;
            }
            pending.acknowledged = true;
            unacknowledged.computeIfPresent(pending.position, (p, n) -> n == 1 ? null : n - 1);
            while (!inSendOrder.isEmpty() && inSendOrder.peekFirst().acknowledged) {
                acknowledgedPrefix = max(acknowledgedPrefix, inSendOrder.removeFirst().position);
            }
            // Only when a waiter may be done: thousands of acknowledgements a second must not each wake it.
            if (unsettled <= wakeAtOrBelow || unsettled == 0 || unacknowledged.isEmpty()) {
                lock.notifyAll();
            }
        }
    }

    /**
     * The furthest position that may be stored: nothing at or before it awaits acknowledgement; the base
     * when nothing was acknowledged yet.
     */
    Position committable() {
        synchronized (lock) {
            if (unacknowledged.isEmpty() || acknowledgedPrefix == null) {
                return acknowledgedPrefix;
            }
            Position oldestInFlight = unacknowledged.firstKey();
            if (order.compare(oldestInFlight, acknowledgedPrefix) > 0) {
                return acknowledgedPrefix;
            }
            // Just before the late row: no sys_id sorts before "", so only rows of earlier seconds count
            // as done and the whole second of the late row is read again after a restart.
            return new Position(oldestInFlight.updatedOn(), "");
        }
    }

    /** The first send failure, or {@code null}. */
    Throwable failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /** How many records await their outcome. */
    int inFlight() {
        synchronized (lock) {
            return unacknowledged.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Waits until every registered record is acknowledged, a send failed, or {@code timeout} passed.
     *
     * @return {@code true} when everything was acknowledged
     */
    boolean awaitAcknowledged(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!unacknowledged.isEmpty() && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return unacknowledged.isEmpty();
        }
    }

    /**
     * Waits until at most {@code limit} records await their outcome, a send failed, or {@code timeout} passed.
     *
     * @return {@code true} when at most {@code limit} records await their outcome
     */
    boolean awaitInFlightAtMost(int limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            try {
                wakeAtOrBelow = limit;
                while (unsettled > limit && failure == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                return unsettled <= limit;
            } finally {
                wakeAtOrBelow = -1;
            }
        }
    }

    /**
     * Waits until every registered record has an outcome, acknowledged or failed, at most {@code timeout};
     * after a failure this tells how far the records sent before it got.
     *
     * @return {@code true} when no record awaits its outcome any more
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (unsettled > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private Position max(Position a, Position b) {
        return a == null || order.compare(b, a) > 0 ? b : a;
    }
}
