package io.snkb.bridge.internal.sink;

import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.ConflictResolver;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurable conflict strategies: Kafka wins, ServiceNow wins (each for all fields or the listed
 * ones), newest wins, and review. Immutable and thread-safe.
 */
final class BuiltInResolver implements ConflictResolver {
    private final SinkTopicConfig.Conflict strategy;
    private final List<String> fields;

    BuiltInResolver(SinkTopicConfig.Conflict strategy, List<String> fields) {
        if (strategy == SinkTopicConfig.Conflict.CUSTOM) {
            throw new IllegalArgumentException("custom conflicts need a ConflictResolver from the engine builder");
        }
        this.strategy = strategy;
        this.fields = List.copyOf(fields);
    }

    @Override
    public Resolution resolve(Conflict conflict) {
        return switch (strategy) {
            case KAFKA_WINS -> kafkaWins(conflict.incoming());
            case SERVICENOW_WINS -> serviceNowWins(conflict.incoming());
            case NEWEST_WINS -> newestWins(conflict);
            default -> new Resolution(Decision.REVIEW, Map.of(), "changed in ServiceNow after the event; "
                    + "left for review");
        };
    }

    private Resolution kafkaWins(Map<String, String> incoming) {
        if (fields.isEmpty()) {
            return new Resolution(Decision.APPLY, incoming, "Kafka is the system of record");
        }
        Map<String, String> kept = new LinkedHashMap<>(incoming);
        kept.keySet().retainAll(fields);
        return new Resolution(Decision.APPLY, kept, "Kafka is the system of record for " + fields);
    }

    private Resolution serviceNowWins(Map<String, String> incoming) {
        if (fields.isEmpty()) {
            return new Resolution(Decision.SKIP, Map.of(), "ServiceNow is the system of record");
        }
        Map<String, String> kept = new LinkedHashMap<>(incoming);
        kept.keySet().removeAll(fields);
        return new Resolution(Decision.APPLY, kept, "ServiceNow is the system of record for " + fields);
    }

    private static Resolution newestWins(Conflict conflict) {
        Instant updated = ServiceNowTime.parse(conflict.current().get("sys_updated_on"));
        if (updated == null || conflict.eventTime().isAfter(updated)) {
            return new Resolution(Decision.APPLY, conflict.incoming(), "the event is newer than the row");
        }
        return new Resolution(Decision.SKIP, Map.of(), "the row changed after the event");
    }
}
