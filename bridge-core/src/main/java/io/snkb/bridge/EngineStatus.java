package io.snkb.bridge;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of the engine, taken by {@link BridgeEngine#status()}. Immutable.
 *
 * @param state  the engine's own state
 * @param takenAt when the snapshot was taken
 * @param tables one entry per configured source table, in configuration order
 * @param sinkTopics one entry per topic the sink writes, in configuration order; empty without a sink
 */
public record EngineStatus(EngineState state, Instant takenAt, List<TableStatus> tables,
                           List<SinkTopicStatus> sinkTopics) {

    public EngineStatus {
        tables = List.copyOf(tables);
        sinkTopics = List.copyOf(sinkTopics);
    }

    /** A snapshot that lists no sink topics. */
    public EngineStatus(EngineState state, Instant takenAt, List<TableStatus> tables) {
        this(state, takenAt, tables, List.of());
    }

    public Optional<TableStatus> table(String instance, String table) {
        return tables.stream().filter(t -> t.instance().equals(instance) && t.table().equals(table)).findFirst();
    }

    public Optional<SinkTopicStatus> sinkTopic(String topic) {
        return sinkTopics.stream().filter(t -> t.topic().equals(topic)).findFirst();
    }
}
