package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowEventsTest {

    @Test
    void modCountZeroIsACreate() {
        assertThat(RowEvents.opOf(Map.of("sys_mod_count", "0"))).isEqualTo(ChangeEvent.Op.CREATE);
        assertThat(RowEvents.opOf(Map.of("sys_mod_count", "3"))).isEqualTo(ChangeEvent.Op.UPDATE);
    }

    @Test
    void withoutModCountEqualStampsMeanACreate() {
        assertThat(RowEvents.opOf(Map.of("sys_created_on", "2024-01-01 00:00:00",
                "sys_updated_on", "2024-01-01 00:00:00"))).isEqualTo(ChangeEvent.Op.CREATE);
        assertThat(RowEvents.opOf(Map.of("sys_created_on", "2024-01-01 00:00:00",
                "sys_updated_on", "2024-01-01 00:00:01"))).isEqualTo(ChangeEvent.Op.UPDATE);
    }

    @Test
    void withoutModCountTheVersionIsTheContent() {
        Map<String, String> row = new HashMap<>(Map.of("sys_id", "a1", "sys_updated_on", "2024-01-01 00:00:01",
                "state", "2"));
        Map<String, String> same = new java.util.LinkedHashMap<>();
        same.put("state", "2");
        same.put("sys_updated_on", "2024-01-01 00:00:01");
        same.put("sys_id", "a1");
        Map<String, String> changed = new HashMap<>(row);
        changed.put("state", "3");
        Map<String, String> nulled = new HashMap<>(row);
        nulled.put("state", null);
        Map<String, String> emptied = new HashMap<>(row);
        emptied.put("state", "");

        assertThat(RowEvents.versionOf(same)).as("field order does not matter").isEqualTo(RowEvents.versionOf(row));
        assertThat(RowEvents.versionOf(changed)).isNotEqualTo(RowEvents.versionOf(row));
        assertThat(RowEvents.versionOf(nulled)).isNotEqualTo(RowEvents.versionOf(emptied));
        assertThat(RowEvents.versionOf(Map.of("sys_updated_on", "2024-01-01 00:00:01", "sys_mod_count", "4")))
                .isEqualTo(new DedupeCache.Version("2024-01-01 00:00:01", "4"));
    }

    @Test
    void eventCarriesTheRawRowAndItsOrigin() {
        Map<String, String> row = new HashMap<>(Map.of("sys_id", "a1", "sys_updated_on", "2024-01-01 00:00:01",
                "sys_mod_count", "2"));
        row.put("short_description", null);
        Position position = RowEvents.positionOf("dev", "incident", row);
        ChangeEvent event = RowEvents.eventOf("dev", "incident", row, position.updatedOn());
        assertThat(event.op()).isEqualTo(ChangeEvent.Op.UPDATE);
        assertThat(event.sysId()).isEqualTo("a1");
        assertThat(event.after()).containsEntry("short_description", null);
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-01-01T00:00:01Z"));
        assertThat(event.source()).isEqualTo(new ChangeEvent.SourceInfo("dev", "incident",
                "2024-01-01 00:00:01", "2", "poll"));
    }

    @Test
    void rowWithoutUpdateStampFailsTheTable() {
        assertThatThrownBy(() -> RowEvents.positionOf("dev", "incident", Map.of("sys_id", "a1")))
                .isInstanceOf(FatalServiceNowException.class)
                .hasMessageContaining("sys_updated_on");
    }
}
