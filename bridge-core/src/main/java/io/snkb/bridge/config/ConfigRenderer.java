package io.snkb.bridge.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;

/**
 * Shows an effective configuration as YAML, every default filled in and every secret (and every
 * credential-bearing Kafka property) replaced by {@code ******}: safe to log once at start-up or to print.
 * The source defaults for tables ({@code source.page-size} and the like) are not shown, since each table
 * shows the value it ended up with. Stateless and thread-safe.
 */
public final class ConfigRenderer {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private ConfigRenderer() {
    }

    /** The configuration as YAML text, with secrets masked. */
    public static String render(BridgeConfig config) {
        try {
            return YAML.writeValueAsString(section(ConfigSchema.ROOT, config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendering a tree of plain values cannot fail", e);
        }
    }

    private static ObjectNode section(ConfigSection section, Object record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (ConfigKey<?> key : section.keys()) {
            Object value = key.readable() ? key.read(record) : null;
            if (value != null) {
                node.set(key.name(), value(key, value));
            }
        }
        return node;
    }

    private static JsonNode value(ConfigKey<?> key, Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (key.shape()) {
            case SCALAR -> scalar(key.type(), value);
            case LIST -> {
                ArrayNode array = nodes.arrayNode();
                ((List<?>) value).forEach(v -> array.add(scalar(key.type(), v)));
                yield array;
            }
            case MAP -> {
                ObjectNode map = nodes.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(),
                        KafkaConfig.isSensitive(k.toString()) ? ValueType.MASK : v.toString()));
                yield map;
            }
            case SECTION -> section(key.section(), value);
            case SECTION_LIST -> {
                ArrayNode array = nodes.arrayNode();
                ((List<?>) value).forEach(item -> array.add(section(key.section(), item)));
                yield array;
            }
        };
    }

    private static JsonNode scalar(ValueType<?> type, Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof Integer i) {
            return nodes.numberNode(i);
        }
        return value instanceof Boolean b ? nodes.booleanNode(b) : nodes.textNode(type.print(value));
    }
}
