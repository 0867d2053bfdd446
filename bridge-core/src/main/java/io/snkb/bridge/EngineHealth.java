package io.snkb.bridge;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A health check of the engine, taken by {@link BridgeEngine#health()}, for liveness and readiness probes.
 * Immutable.
 *
 * <p>{@link #live()}: the engine can still make progress, so restarting the process would not help: it is
 * neither failed nor stopping, every table that should be polling has a living poller thread, and the sink,
 * when enabled, has a living consumer. {@link #ready()}: the engine is doing its job: running, Kafka answers,
 * every table is running (or was knowingly left unpolled because the source is disabled) and the sink, when
 * enabled, consumes and writes every topic. A table retrying, failed, or whose credentials the instance
 * refuses makes the engine not ready, and so does a sink topic whose writes the instance refuses the
 * credentials for.
 *
 * @param state          the engine's own state
 * @param takenAt        when the check was made
 * @param kafkaReachable whether the Kafka cluster answered a metadata request lately
 * @param kafkaProblem   why Kafka is not reachable, or {@code null}
 * @param tables         one entry per configured source table, in configuration order
 * @param sinkEnabled    whether the configuration runs a sink
 * @param sinkAlive      whether the sink's consumer thread runs; {@code false} when the sink is disabled
 * @param sinkTopics     one entry per topic the sink writes, in configuration order; empty without a sink
 */
public record EngineHealth(EngineState state, Instant takenAt, boolean kafkaReachable, String kafkaProblem,
                           List<TableHealth> tables, boolean sinkEnabled, boolean sinkAlive,
                           List<SinkTopicStatus> sinkTopics) {

    public EngineHealth {
        tables = List.copyOf(tables);
        sinkTopics = List.copyOf(sinkTopics);
    }

    /** A health check that lists no sink topics. */
    public EngineHealth(EngineState state, Instant takenAt, boolean kafkaReachable, String kafkaProblem,
                        List<TableHealth> tables, boolean sinkEnabled, boolean sinkAlive) {
        this(state, takenAt, kafkaReachable, kafkaProblem, tables, sinkEnabled, sinkAlive, List.of());
    }

    /** A health check of an engine without a sink. */
    public EngineHealth(EngineState state, Instant takenAt, boolean kafkaReachable, String kafkaProblem,
                        List<TableHealth> tables) {
        this(state, takenAt, kafkaReachable, kafkaProblem, tables, false, false);
    }

    public boolean live() {
        boolean working = state == EngineState.NEW || state == EngineState.STARTING || state == EngineState.RUNNING;
        return working && tables.stream().allMatch(TableHealth::live) && sinkConsumes();
    }

    public boolean ready() {
        return state == EngineState.RUNNING && kafkaReachable && tables.stream().allMatch(TableHealth::ready)
                && sinkConsumes() && sinkTopics.stream().allMatch(SinkTopicStatus::ready);
    }

    /** True without a sink; with one, whether its consumer runs (before the start, it counts as running). */
    private boolean sinkConsumes() {
        return !sinkEnabled || sinkAlive || state == EngineState.NEW || state == EngineState.STARTING;
    }

    public Optional<TableHealth> table(String instance, String table) {
        return tables.stream().filter(t -> t.instance().equals(instance) && t.table().equals(table)).findFirst();
    }

    public Optional<SinkTopicStatus> sinkTopic(String topic) {
        return sinkTopics.stream().filter(t -> t.topic().equals(topic)).findFirst();
    }
}
