package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionZoneTest {
    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user("integration", "pw", ZoneId.of("Pacific/Kiritimati")).build().start();
    private final RetryingReader reader = TestReaders.basic(sim.baseUrl(), "integration", "pw");

    @AfterEach
    void stop() {
        sim.close();
    }

    private void clearUserZone() {
        SimTable users = sim.table("sys_user");
        users.update(users.findBy("user_name", "integration").orElseThrow().get("sys_id"), Map.of("time_zone", ""));
    }

    @Test
    void theUsersOwnZoneIsUsedWhenSet() throws Exception {
        assertThat(new SessionZone("dev", "integration").get(reader)).isEqualTo(ZoneId.of("Pacific/Kiritimati"));
    }

    @Test
    void aUserWithoutAZoneFollowsTheSystemZone() throws Exception {
        clearUserZone();
        sim.table("sys_properties").insert(Map.of("name", "glide.sys.default.tz", "value", "America/Los_Angeles"));
        assertThat(new SessionZone("dev", "integration").get(reader)).isEqualTo(ZoneId.of("America/Los_Angeles"));
    }

    @Test
    void unreadableZonesFallBackToUtc() throws Exception {
        clearUserZone();
        sim.faults().apply("error=403:path=/api/now/table/sys_properties");
        assertThat(new SessionZone("dev", "integration").get(reader)).isEqualTo(ZoneOffset.UTC);
        assertThat(new SessionZone("dev", null).get(reader)).as("no user name: OAuth client credentials")
                .isEqualTo(ZoneOffset.UTC);
    }
}
