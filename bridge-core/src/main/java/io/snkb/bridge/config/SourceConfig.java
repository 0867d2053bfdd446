package io.snkb.bridge.config;

import java.util.Objects;

/**
 * Reading ServiceNow tables into Kafka. The per-table defaults live in each {@link TableConfig}.
 *
 * @param enabled      whether configured tables are polled by {@code run}
 * @param topicPattern the default topic name, with {@code {instance}} and {@code {table}} replaced
 */
public record SourceConfig(boolean enabled, String topicPattern) {

    public SourceConfig {
        Objects.requireNonNull(topicPattern, "topicPattern");
    }

    /** The topic for a table when it names none of its own. */
    public String topicFor(String instance, String table) {
        return topicPattern.replace("{instance}", instance).replace("{table}", table);
    }
}
