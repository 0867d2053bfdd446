package io.snkb.bridge.internal.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a Kafka record as a {@link SinkEvent}. Accepted values: snkb's own change events and others in
 * the Debezium envelope ({@code before}, {@code after}, {@code op}, {@code source}), any other JSON object
 * (its members are the fields), and tombstones ({@code null} value: delete). A delete event names its row
 * by {@code before} and the key. The key names the row of a tombstone or of an event without one: a JSON
 * object is read as fields, any other key as a {@code sys_id}, as snkb's source writes it.
 *
 * <p>Values become ServiceNow's raw strings: numbers and booleans as their text, JSON {@code null} as
 * {@code ""} (which clears a field), a reference object as its {@code value}. Thread-safe.
 */
final class SinkRecordReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENVELOPE_OPS = Set.of("c", "u", "d", "r");

    private SinkRecordReader() {
    }

    /** Throws {@link RecordRejectedException} for a value that is not JSON or not a JSON object. */
    static SinkEvent read(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> keyFields = keyFields(record.key());
        Instant recordTime = Instant.ofEpochMilli(Math.max(0, record.timestamp()));
        if (record.value() == null) {
            return new SinkEvent(true, keyFields, keyFields.get("sys_id"), null, null, recordTime, null);
        }
        JsonNode value = parse(record.value());
        String recordSysId = RecordSysIds.of(record);
        if (isEnvelope(value)) {
            return fromEnvelope(value, keyFields, recordTime, recordSysId);
        }
        Map<String, String> fields = fields(value);
        return new SinkEvent(false, fields, sysId(fields, keyFields), null, null, recordTime, recordSysId);
    }

    private static JsonNode parse(byte[] value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new RecordRejectedException("value is not JSON: " + why, 0, e);
        }
        if (node == null || !node.isObject()) {
            String kind = node == null ? "empty" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            throw new RecordRejectedException("value is JSON but not an object: " + kind);
        }
        return node;
    }

    /**
     * A change event: an {@code op} of Debezium's ({@code c}, {@code u}, {@code d}, {@code r}) beside an
     * {@code after} or {@code before} object or null; {@code source} is optional, as producers other than
     * snkb often leave it out. A delete envelope may leave {@code after} out altogether.
     */
    private static boolean isEnvelope(JsonNode value) {
        return ENVELOPE_OPS.contains(value.path("op").asText("")) && (isRowOrNull(value.get("after"))
                || isRowOrNull(value.get("before")));
    }

    private static boolean isRowOrNull(JsonNode member) {
        return member != null && (member.isObject() || member.isNull());
    }

    private static SinkEvent fromEnvelope(JsonNode value, Map<String, String> keyFields, Instant recordTime,
                                          String recordSysId) {
        JsonNode source = value.path("source");
        String instance = source.path("instance").asText(null);
        String table = source.path("table").asText(null);
        Instant eventTime = source.path("ts_ms").canConvertToLong()
                ? Instant.ofEpochMilli(source.get("ts_ms").asLong()) : recordTime;
        boolean delete = "d".equals(value.path("op").asText());
        JsonNode after = value.get("after");
        if (delete || after == null || !after.isObject()) {
            Map<String, String> fields = deleted(value.get("before"), keyFields);
            return new SinkEvent(true, fields, sysId(fields, keyFields), instance, table, eventTime, recordSysId);
        }
        Map<String, String> fields = fields(after);
        return new SinkEvent(false, fields, sysId(fields, keyFields), instance, table, eventTime, recordSysId);
    }

    /**
     * What names the row a delete removes: the fields of the key, and over them those of {@code before}, the
     * row as it was, which carries the business key or {@code sys_id} when the record's key does not.
     */
    private static Map<String, String> deleted(JsonNode before, Map<String, String> keyFields) {
        Map<String, String> fields = new LinkedHashMap<>(keyFields);
        if (before != null && before.isObject()) {
            fields(before).forEach((field, value) -> {
                if (!value.isEmpty()) {
                    fields.put(field, value);
                }
            });
        }
        return fields;
    }

    private static String sysId(Map<String, String> fields, Map<String, String> keyFields) {
        String own = fields.get("sys_id");
        return own != null && !own.isEmpty() ? own : keyFields.get("sys_id");
    }

    private static Map<String, String> keyFields(byte[] key) {
        if (key == null || key.length == 0) {
            return Map.of();
        }
        try {
            JsonNode node = JSON.readTree(key);
            if (node != null && node.isObject()) {
                return fields(node);
            }
        } catch (IOException e) {
            // Not JSON: snkb's own keys are the plain sys_id.
        }
        String text = new String(key, StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? Map.of() : Map.of("sys_id", text);
    }

    private static Map<String, String> fields(JsonNode object) {
        Map<String, String> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> fields.put(e.getKey(), text(e.getValue())));
        return fields;
    }

    private static String text(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        if (value.isObject() && value.has("value")) {
            return value.get("value").asText();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
