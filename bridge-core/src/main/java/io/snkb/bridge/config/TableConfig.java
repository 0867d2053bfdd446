package io.snkb.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One table read from an instance into Kafka. Per-table values have already been defaulted from
 * {@link SourceConfig}. Immutable.
 *
 * @param name         the ServiceNow table, e.g. {@code incident}
 * @param topic        the Kafka topic its changes go to
 * @param fields       the fields to read; empty means all fields. The cursor fields
 *                     ({@code sys_id}, {@code sys_updated_on}, {@code sys_mod_count}) are always read.
 * @param query        an encoded query ANDed to every read, or empty for the whole table
 * @param pageSize     rows per request, 1 to 10000
 * @param pollInterval the pause between two polls once caught up
 * @param rereadWindow how far behind the cursor each poll reads again, to catch late commits
 */
public record TableConfig(String name, String topic, List<String> fields, String query, int pageSize,
                          Duration pollInterval, Duration rereadWindow) {

    public TableConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        fields = List.copyOf(fields);
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(rereadWindow, "rereadWindow");
    }
}
