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
 */
public record EngineStatus(EngineState state, Instant takenAt, List<TableStatus> tables) {

    public EngineStatus {
        tables = List.copyOf(tables);
    }

    public Optional<TableStatus> table(String instance, String table) {
        return tables.stream().filter(t -> t.instance().equals(instance) && t.table().equals(table)).findFirst();
    }
}
