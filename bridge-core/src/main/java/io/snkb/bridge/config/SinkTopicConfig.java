package io.snkb.bridge.config;

import java.util.List;
import java.util.Objects;

/**
 * Where the records of one Kafka topic are written.
 *
 * @param topic       the consumed topic
 * @param instance    the target instance's configured name
 * @param table       the target table
 * @param operation   how a record becomes a write
 * @param keyFields   the business key that finds the target row for upserts, e.g. {@code correlation_id};
 *                    empty means rows are found by {@code sys_id}
 * @param concurrency how many rows of this topic are written at once
 */
public record SinkTopicConfig(String topic, String instance, String table, Operation operation,
                              List<String> keyFields, int concurrency) {

    public SinkTopicConfig {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(operation, "operation");
        keyFields = List.copyOf(keyFields);
    }

    /** Write operations. */
    public enum Operation { INSERT, UPDATE, UPSERT, DELETE }
}
