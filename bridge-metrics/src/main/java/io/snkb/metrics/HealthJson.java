package io.snkb.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snkb.bridge.EngineHealth;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.SinkTopicStatus;
import io.snkb.bridge.TableHealth;
import java.io.UncheckedIOException;

/**
 * Renders an {@link EngineHealth} as the JSON body of {@code /health} and {@code /ready}: the verdict, the
 * engine's state, Kafka (for readiness), one entry per table with what decided its verdict, and the sink's
 * consumer and topics when there is a sink. Stateless and thread-safe.
 */
final class HealthJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthJson() {
    }

    static String liveness(EngineHealth health) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", health.live() ? "UP" : "DOWN");
        root.put("engine", health.state().name());
        root.put("checkedAt", health.takenAt().toString());
        ArrayNode tables = root.putArray("tables");
        for (TableHealth table : health.tables()) {
            ObjectNode node = tableNode(tables, table, table.live());
            node.put("pollerAlive", table.pollerAlive());
        }
        sinkNode(root, health, false);
        return write(root);
    }

    static String readiness(EngineHealth health) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", health.ready() ? "READY" : "NOT_READY");
        root.put("engine", health.state().name());
        root.put("checkedAt", health.takenAt().toString());
        ObjectNode kafka = root.putObject("kafka");
        kafka.put("reachable", health.kafkaReachable());
        if (health.kafkaProblem() != null) {
            kafka.put("problem", health.kafkaProblem());
        }
        ArrayNode tables = root.putArray("tables");
        for (TableHealth table : health.tables()) {
            ObjectNode node = tableNode(tables, table, table.ready());
            node.put("polled", table.polled());
            node.put("credentialsRefused", table.credentialsRefused());
            node.put("lagSeconds", table.lagSeconds());
        }
        sinkNode(root, health, true);
        return write(root);
    }

    /**
     * The sink's consumer and its topics, each shaped like a table entry, with the topic first. A topic whose
     * credentials are refused is still live: it retries by itself.
     */
    private static void sinkNode(ObjectNode root, EngineHealth health, boolean readiness) {
        if (!health.sinkEnabled()) {
            return;
        }
        ObjectNode sink = root.putObject("sink");
        sink.put("consumerAlive", health.sinkAlive());
        ArrayNode topics = sink.putArray("topics");
        for (SinkTopicStatus topic : health.sinkTopics()) {
            ObjectNode node = topics.addObject().put("topic", topic.topic());
            entry(node, topic.instance(), topic.table(), readiness ? topic.ready() : health.sinkAlive(),
                    topic.state(), topic.lastError());
            if (readiness) {
                node.put("credentialsRefused", topic.credentialsRefused());
            }
        }
    }

    private static ObjectNode tableNode(ArrayNode tables, TableHealth table, boolean ok) {
        ObjectNode node = entry(tables.addObject(), table.instance(), table.table(), ok, table.state(),
                table.lastError());
        if (table.lastErrorAt() != null) {
            node.put("lastErrorAt", table.lastErrorAt().toString());
        }
        node.put("deletes", table.deletes().name());
        if (table.deletesProblem() != null) {
            node.put("deletesProblem", table.deletesProblem());
        }
        return node;
    }

    /** What a table and a sink topic both show: where, the verdict, the state and the last error. */
    private static ObjectNode entry(ObjectNode node, String instance, String table, boolean ok, EngineState state,
                                    String lastError) {
        node.put("instance", instance);
        node.put("table", table);
        node.put("ok", ok);
        node.put("state", state.name());
        if (lastError != null) {
            node.put("lastError", lastError);
        }
        return node;
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
