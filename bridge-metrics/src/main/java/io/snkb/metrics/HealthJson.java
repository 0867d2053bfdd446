package io.snkb.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snkb.bridge.EngineHealth;
import io.snkb.bridge.TableHealth;
import java.io.UncheckedIOException;

/**
 * Renders an {@link EngineHealth} as the JSON body of {@code /health} and {@code /ready}: the verdict, the
 * engine's state, Kafka (for readiness), one entry per table with what decided its verdict, and the sink's
 * consumer when there is a sink. Stateless and
 * thread-safe.
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
        sinkNode(root, health);
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
        sinkNode(root, health);
        return write(root);
    }

    private static void sinkNode(ObjectNode root, EngineHealth health) {
        if (health.sinkEnabled()) {
            root.putObject("sink").put("consumerAlive", health.sinkAlive());
        }
    }

    private static ObjectNode tableNode(ArrayNode tables, TableHealth table, boolean ok) {
        ObjectNode node = tables.addObject();
        node.put("instance", table.instance());
        node.put("table", table.table());
        node.put("ok", ok);
        node.put("state", table.state().name());
        if (table.lastError() != null) {
            node.put("lastError", table.lastError());
        }
        node.put("deletes", table.deletes().name());
        if (table.deletesProblem() != null) {
            node.put("deletesProblem", table.deletesProblem());
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
