package io.snkb.bridge;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A health check of the engine, taken by {@link BridgeEngine#health()}, for liveness and readiness probes.
 * Immutable.
 *
 * <p>{@link #live()}: the engine can still make progress, so restarting the process would not help: it is
 * neither failed nor stopping, and every table that should be polling has a living poller thread.
 * {@link #ready()}: the engine is doing its job: running, Kafka answers, and every table is running (or was
 * knowingly left unpolled because the source is disabled). A table retrying, failed, or whose credentials
 * the instance refuses makes the engine not ready.
 *
 * @param state          the engine's own state
 * @param takenAt        when the check was made
 * @param kafkaReachable whether the Kafka cluster answered a metadata request lately
 * @param kafkaProblem   why Kafka is not reachable, or {@code null}
 * @param tables         one entry per configured source table, in configuration order
 */
public record EngineHealth(EngineState state, Instant takenAt, boolean kafkaReachable, String kafkaProblem,
                           List<TableHealth> tables) {

    public EngineHealth {
        tables = List.copyOf(tables);
    }

    public boolean live() {
        boolean working = state == EngineState.NEW || state == EngineState.STARTING || state == EngineState.RUNNING;
        return working && tables.stream().allMatch(TableHealth::live);
    }

    public boolean ready() {
        return state == EngineState.RUNNING && kafkaReachable && tables.stream().allMatch(TableHealth::ready);
    }

    public Optional<TableHealth> table(String instance, String table) {
        return tables.stream().filter(t -> t.instance().equals(instance) && t.table().equals(table)).findFirst();
    }
}
