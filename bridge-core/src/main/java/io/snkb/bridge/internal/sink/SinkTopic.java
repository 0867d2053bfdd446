package io.snkb.bridge.internal.sink;

import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.internal.metrics.SinkMetrics;

/**
 * What the sink holds for one consumed topic: its mapping, writer, lanes and meters. Thread-safe.
 *
 * @param config  the topic's mapping
 * @param writer  writes its records
 * @param lanes   the workers, {@code concurrency} of them
 * @param metrics its meters
 * @param progress its state, for status and health
 */
record SinkTopic(SinkTopicConfig config, RowWriter writer, KeyedLanes lanes, SinkMetrics metrics,
                 SinkTopicProgress progress) {

    /** The lane of {@code event}: the row it targets, by business key or {@code sys_id}; null when unknown. */
    String rowKey(SinkEvent event) {
        if (!config.keyFields().isEmpty()) {
            StringBuilder key = new StringBuilder("k");
            for (String field : config.keyFields()) {
                String value = event.fields().get(field);
                if (value == null || value.isEmpty()) {
                    return null;
                }
                key.append('\u0000').append(value);
            }
            return key.toString();
        }
        return event.sysId() == null ? null : "s\u0000" + event.sysId();
    }
}
