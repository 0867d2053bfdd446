package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.spi.ChangeEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditRecordsTest {
    private static final Instant DELETED_AT = Instant.parse("2024-03-05T07:00:00Z");

    private static Map<String, String> audit(String payload) {
        Map<String, String> audit = new HashMap<>();
        audit.put("sys_id", "a1");
        audit.put("documentkey", "d1");
        audit.put("sys_created_on", "2024-03-05 07:00:00");
        audit.put("payload", payload);
        return audit;
    }

    @Test
    void payloadFieldsBecomeTheBeforeStateOfTheDelete() {
        String payload = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><record_update table=\"incident\">"
                + "<incident action=\"DELETE\"><sys_id>d1</sys_id><short_description>Printer &amp; fax 🖨️"
                + "</short_description><active></active><sys_mod_count>4</sys_mod_count>"
                + "<sys_updated_on>2024-03-05 06:59:00</sys_updated_on></incident></record_update>";

        ChangeEvent event = AuditRecords.deleteOf("dev", "incident", audit(payload), DELETED_AT);

        assertThat(event.op()).isEqualTo(ChangeEvent.Op.DELETE);
        assertThat(event.sysId()).isEqualTo("d1");
        assertThat(event.after()).isNull();
        assertThat(event.before()).containsEntry("short_description", "Printer & fax 🖨️")
                .containsEntry("active", "").containsEntry("sys_mod_count", "4");
        assertThat(event.source().readMode()).isEqualTo("audit");
        assertThat(event.source().modCount()).isEqualTo("4");
        assertThat(event.eventTime()).isEqualTo(DELETED_AT);
    }

    @Test
    void missingOrBrokenPayloadStillGivesADeleteKeyedByTheDocumentKey() {
        assertThat(AuditRecords.deleteOf("dev", "incident", audit(null), DELETED_AT).before())
                .containsExactly(Map.entry("sys_id", "d1"));
        assertThat(AuditRecords.deleteOf("dev", "incident", audit("<record_update><incident><sys_id>d"), DELETED_AT)
                .before()).containsEntry("sys_id", "d1");
    }

    @Test
    void payloadWithADoctypeIsNotExpanded() {
        String payload = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<record_update><incident><description>&x;</description></incident></record_update>";
        assertThat(AuditRecords.payloadFields(payload, "a1").getOrDefault("description", ""))
                .doesNotContain("root");
    }
}
