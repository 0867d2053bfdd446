package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(new SessionZone("dev", "integration").get(reader, "incident"))
                .isEqualTo(ZoneId.of("Pacific/Kiritimati"));
    }

    @Test
    void aUserWithoutAZoneFollowsTheSystemZone() throws Exception {
        clearUserZone();
        sim.table("sys_properties").insert(Map.of("name", "glide.sys.default.tz", "value", "America/Los_Angeles"));
        assertThat(new SessionZone("dev", "integration").get(reader, "incident"))
                .isEqualTo(ZoneId.of("America/Los_Angeles"));
    }

    @Test
    void unreadableZonesFallBackToUtcOnceARowShowsThatQueriesReadUtc() throws Exception {
        clearUserZone();
        sim.faults().apply("error=403:path=/api/now/table/sys_properties");
        SessionZone zone = new SessionZone("dev", "integration");
        assertThat(zone.get(reader, "incident")).as("no row to check with yet").isEqualTo(ZoneOffset.UTC);
        assertThat(new SessionZone("dev", null).get(reader, "incident")).as("no user name: OAuth client credentials")
                .isEqualTo(ZoneOffset.UTC);

        String id = sim.table("incident").insert(Map.of("short_description", "x")).get("sys_id");
        assertThat(zone.get(reader, "incident")).isEqualTo(ZoneOffset.UTC);
        assertThat(sim.requestLog()).anySatisfy(r -> assertThat(r.pathAndQuery())
                .contains("sys_id%3D" + id + "%5Esys_updated_on%3D"));
        long requests = sim.requestCount();
        zone.get(reader, "incident");
        assertThat(sim.requestCount()).as("confirmed once, then kept").isEqualTo(requests);
    }

    @Test
    void unreadableZonesOnAnInstanceThatReadsQueriesInTheUsersZoneFailClearly() {
        try (ServiceNowSimulator local = ServiceNowSimulator.builder().port(0)
                .user("integration", "pw", ZoneId.of("America/Los_Angeles")).plainLiteralsInUserZone(true)
                .build().start()) {
            local.faults().apply("error=403:path=/api/now/table/sys_user",
                    "error=403:path=/api/now/table/sys_properties");
            local.table("incident").insert(Map.of("short_description", "x"));
            RetryingReader localReader = TestReaders.basic(local.baseUrl(), "integration", "pw");

            assertThatThrownBy(() -> new SessionZone("dev", "integration").get(localReader, "incident"))
                    .isInstanceOf(FatalServiceNowException.class)
                    .hasMessageContaining("'dev'").hasMessageContaining("incident")
                    .hasMessageContaining("does not read date-times in queries as UTC")
                    .hasMessageContaining("instances[].time-zone");
        }
    }
}
