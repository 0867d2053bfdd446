package io.snkb.bridge.config;

import java.util.List;
import java.util.Objects;

/**
 * Writing Kafka records into ServiceNow.
 *
 * @param enabled     whether the sink runs
 * @param groupId     the Kafka consumer group of the sink
 * @param dlqTopic    where records that cannot be written go, untouched, with the reason in headers
 * @param reviewTopic where conflicts left for a person to decide go
 * @param topics      one mapping per consumed topic
 */
public record SinkConfig(boolean enabled, String groupId, String dlqTopic, String reviewTopic,
                         List<SinkTopicConfig> topics) {

    public SinkConfig {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(dlqTopic, "dlqTopic");
        Objects.requireNonNull(reviewTopic, "reviewTopic");
        topics = List.copyOf(topics);
    }

    /** With the default review topic, {@code snkb.review}. */
    public SinkConfig(boolean enabled, String groupId, String dlqTopic, List<SinkTopicConfig> topics) {
        this(enabled, groupId, dlqTopic, "snkb.review", topics);
    }
}
