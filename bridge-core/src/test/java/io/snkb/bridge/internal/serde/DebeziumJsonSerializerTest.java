package io.snkb.bridge.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.internal.ProjectVersion;
import io.snkb.bridge.spi.ChangeEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebeziumJsonSerializerTest {
    private static final Instant PRODUCED = Instant.parse("2024-03-05T08:00:00Z");
    private static final Instant UPDATED = Instant.parse("2024-03-05T07:00:00Z");
    private final DebeziumJsonSerializer serializer =
            new DebeziumJsonSerializer(Clock.fixed(PRODUCED, ZoneOffset.UTC));

    private static ChangeEvent event(ChangeEvent.Op op, Map<String, String> after) {
        return new ChangeEvent(op, "a1", after,
                new ChangeEvent.SourceInfo("dev", "incident", "2024-03-05 07:00:00", "0", "poll"), UPDATED);
    }

    @Test
    void writesTheDebeziumEnvelope() throws IOException {
        Map<String, String> after = new LinkedHashMap<>();
        after.put("sys_id", "a1");
        after.put("short_description", "Grüße aus Köln 🚀");
        after.put("close_notes", null);
        after.put("priority", "");
        byte[] bytes = serializer.serialize(event(ChangeEvent.Op.CREATE, after));

        JsonNode json = new ObjectMapper().readTree(bytes);
        assertThat(json.get("before").isNull()).isTrue();
        assertThat(json.get("after").get("short_description").asText()).isEqualTo("Grüße aus Köln 🚀");
        assertThat(json.get("after").get("close_notes").isNull()).isTrue();
        assertThat(json.get("after").get("priority").asText()).isEmpty();
        assertThat(json.get("op").asText()).isEqualTo("c");
        assertThat(json.get("ts_ms").asLong()).isEqualTo(PRODUCED.toEpochMilli());
        JsonNode source = json.get("source");
        assertThat(source.get("connector").asText()).isEqualTo("snkb");
        assertThat(source.get("version").asText()).isEqualTo(ProjectVersion.get()).isNotEqualTo("unknown");
        assertThat(source.get("instance").asText()).isEqualTo("dev");
        assertThat(source.get("table").asText()).isEqualTo("incident");
        assertThat(source.get("sys_updated_on").asText()).isEqualTo("2024-03-05 07:00:00");
        assertThat(source.get("sys_mod_count").asText()).isEqualTo("0");
        assertThat(source.get("read_mode").asText()).isEqualTo("poll");
        assertThat(source.get("ts_ms").asLong()).isEqualTo(UPDATED.toEpochMilli());
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("🚀");
        assertThat(serializer.contentType()).isEqualTo("application/json");
    }

    @Test
    void deleteHasNoAfterState() throws IOException {
        JsonNode json = new ObjectMapper().readTree(serializer.serialize(event(ChangeEvent.Op.DELETE, null)));
        assertThat(json.get("after").isNull()).isTrue();
        assertThat(json.get("op").asText()).isEqualTo("d");
    }
}
