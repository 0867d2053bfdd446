package io.snkb.bridge.config;

import java.util.List;
import java.util.Objects;

/**
 * Where the records of one Kafka topic are written.
 *
 * @param topic          the consumed topic
 * @param instance       the target instance's configured name
 * @param table          the target table
 * @param operation      how a record becomes a write
 * @param keyFields      the business key that finds the target row for upserts, e.g. {@code correlation_id};
 *                       empty means rows are found by {@code sys_id}
 * @param concurrency    how many rows of this topic are written at once
 * @param conflict       what happens when the target row changed in ServiceNow after the event
 * @param conflictFields the fields the {@code conflict} winner decides; empty for all fields
 */
public record SinkTopicConfig(String topic, String instance, String table, Operation operation,
                              List<String> keyFields, int concurrency, Conflict conflict,
                              List<String> conflictFields) {

    public SinkTopicConfig {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(conflict, "conflict");
        keyFields = List.copyOf(keyFields);
        conflictFields = List.copyOf(conflictFields);
    }

    /** A mapping whose events always win conflicts. */
    public SinkTopicConfig(String topic, String instance, String table, Operation operation,
                           List<String> keyFields, int concurrency) {
        this(topic, instance, table, operation, keyFields, concurrency, Conflict.KAFKA_WINS, List.of());
    }

    /** Write operations. */
    public enum Operation { INSERT, UPDATE, UPSERT, DELETE }

    /** Built-in conflict strategies. */
    public enum Conflict {
        /** The event is written (for the conflict fields, when listed; ServiceNow keeps the others). */
        KAFKA_WINS,
        /** ServiceNow keeps its row (the conflict fields, when listed; the others are written). */
        SERVICENOW_WINS,
        /** The later of the event time and the row's {@code sys_updated_on} wins. */
        NEWEST_WINS,
        /** Nothing is written; the conflict goes to the review topic. */
        REVIEW,
        /** The {@code ConflictResolver} given to the engine builder decides. */
        CUSTOM
    }
}
