package io.snkb.bridge.config;

import java.util.Objects;

/**
 * Reading ServiceNow tables into Kafka. The per-table defaults live in each {@link TableConfig}.
 *
 * @param enabled      whether configured tables are polled by {@code run}
 * @param topicPattern the default topic name, with {@code {instance}} and {@code {table}} replaced
 * @param backfillConcurrency how many {@code sys_id} ranges a backfill reads at once
 */
public record SourceConfig(boolean enabled, String topicPattern, int backfillConcurrency) {
    /** The backfill concurrency when none is configured. */
    public static final int DEFAULT_BACKFILL_CONCURRENCY = 4;

    public SourceConfig {
        Objects.requireNonNull(topicPattern, "topicPattern");
    }

    /** The source with the default backfill concurrency. */
    public SourceConfig(boolean enabled, String topicPattern) {
        this(enabled, topicPattern, DEFAULT_BACKFILL_CONCURRENCY);
    }

    /** The topic for a table when it names none of its own. */
    public String topicFor(String instance, String table) {
        return topicPattern.replace("{instance}", instance).replace("{table}", table);
    }
}
