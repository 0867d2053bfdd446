package io.snkb.bridge.internal.sink;

import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one assigned partition handed to workers and not yet fully handled. The committable
 * offset is the lowest such record, or the one after the last dispatched when none is pending: committing
 * it never skips a record that was not written or dead-lettered, whatever order workers finish in.
 *
 * <p>Thread-safe: the consumer thread dispatches and reads; workers complete.
 */
final class PartitionOffsets {
    private final TopicPartition partition;
    private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
    /** Written by the consumer thread only. */
    private volatile long next = -1;
    private volatile boolean revoked;
    private long committed = -1;

    PartitionOffsets(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    void dispatched(long offset) {
        pending.add(offset);
        next = offset + 1;
    }

    void completed(long offset) {
        pending.remove(offset);
    }

    int pendingCount() {
        return pending.size();
    }

    /** The offset to commit, or -1 when nothing was dispatched yet. */
    long committable() {
        long upTo = next;
        if (upTo < 0) {
            return -1;
        }
        Long lowest = pending.isEmpty() ? null : pending.first();
        return lowest != null ? Math.min(lowest, upTo) : upTo;
    }

    /** Whether {@code offset} moves past the last commit. Consumer thread only. */
    boolean isAhead(long offset) {
        return offset > committed;
    }

    /** Kafka took {@code offset} as this partition's commit. Consumer thread only. */
    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** The partition was taken away: work not started for it is dropped, and nothing more committed. */
    void revoke() {
        revoked = true;
    }

    boolean revoked() {
        return revoked;
    }
}
