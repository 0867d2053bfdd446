package io.snkb.bridge.internal.serde;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.snkb.bridge.internal.ProjectVersion;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Serializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a change event as UTF-8 JSON in the envelope of Debezium, which Flink ({@code debezium-json}),
 * ksqlDB and most sinks read:
 *
 * <pre>{@code
 * {"before": null, "after": {...raw fields...},
 *  "source": {"connector": "snkb", "version": "..", "instance": "..", "table": "..",
 *             "sys_updated_on": "..", "sys_mod_count": "..", "read_mode": "poll", "ts_ms": <event time>},
 *  "op": "c", "ts_ms": <time produced>}
 * }</pre>
 *
 * <p>{@code before} is {@code null} except for a delete, where it holds the fields ServiceNow's audit record
 * kept of the deleted row (the Table API has no earlier state of a row); {@code after} is {@code null} for a
 * delete. Values are ServiceNow's raw strings, {@code null} kept as JSON null.
 * Thread-safe.
 */
public final class DebeziumJsonSerializer implements Serializer {
    public static final String CONTENT_TYPE = "application/json";
    private static final String CONNECTOR = "snkb";

    // Without this, characters outside the BMP (emoji) are written as escaped surrogate pairs.
    private final JsonFactory factory = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    /** Each thread's buffer is kept from one event to the next unless an event made it larger than this. */
    private static final int MAX_KEPT_BUFFER = 64 * 1024;

    private final Clock clock;
    private final String version;
    private final ThreadLocal<ByteArrayOutputStream> buffer =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(8 * 1024));

    /** @param clock the source of the envelope's {@code ts_ms}, the time the event was produced */
    public DebeziumJsonSerializer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.version = ProjectVersion.get();
    }

    @Override
    public byte[] serialize(ChangeEvent event) {
        ByteArrayOutputStream out = buffer.get();
        out.reset();
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            writeRow(json, "before", event.before());
            writeRow(json, "after", event.after());
            writeSource(json, event);
            json.writeStringField("op", event.op().code());
            json.writeNumberField("ts_ms", clock.millis());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write event of " + event.sysId() + " as JSON", e);
        }
        byte[] bytes = out.toByteArray();
        if (out.size() > MAX_KEPT_BUFFER) {
            buffer.remove();
        }
        return bytes;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    private static void writeRow(JsonGenerator json, String name, Map<String, String> row) throws IOException {
        if (row == null) {
            json.writeNullField(name);
            return;
        }
        json.writeObjectFieldStart(name);
        for (Map.Entry<String, String> field : row.entrySet()) {
            json.writeStringField(field.getKey(), field.getValue());
        }
        json.writeEndObject();
    }

    private void writeSource(JsonGenerator json, ChangeEvent event) throws IOException {
        ChangeEvent.SourceInfo source = event.source();
        json.writeObjectFieldStart("source");
        json.writeStringField("connector", CONNECTOR);
        json.writeStringField("version", version);
        json.writeStringField("instance", source.instance());
        json.writeStringField("table", source.table());
        json.writeStringField("sys_updated_on", source.updatedOn());
        json.writeStringField("sys_mod_count", source.modCount());
        json.writeStringField("read_mode", source.readMode());
        json.writeNumberField("ts_ms", event.eventTime().toEpochMilli());
        json.writeEndObject();
    }
}
