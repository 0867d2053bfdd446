package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void buildsAStartedSimulatorFromPlainValues() {
        SimulatorOptions options = SimulatorOptions.builder().port(0).user("snkb:pw:Asia/Tokyo:dd/MM/yyyy")
                .oauthClient("cid:secret").rateLimit("100/1h").fault("latency=1ms").seedIncidents(12)
                .replayCsv(IncidentHistoryReplayTest.CSV).build();

        try (SimulatorOptions.Running running = options.start()) {
            ServiceNowSimulator sim = running.simulator();
            running.replay().orElseThrow().done().join();
            HttpResponse<String> r = SimClient.basic(sim, "snkb", "pw").get("/api/now/table/incident?sysparm_limit=1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Total-Count")).hasValue(String.valueOf(12 + 890));
            assertThat(r.headers().firstValue("X-RateLimit-Limit")).hasValue("100");
            assertThat(sim.user("snkb").orElseThrow().timeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
            assertThat(sim.faults().active()).hasSize(1);
            assertThat(json(r).get("result")).hasSize(1);
        }
    }

    @Test
    void reportsEveryInvalidValueAtOnceWithoutSecrets() {
        SimulatorOptions.Builder b = SimulatorOptions.builder().port(70000).user("nopassword")
                .user("x:pw:Mars/Olympus").oauthClient("cid").rateLimit("lots").fault("earthquake")
                .tokenLifetime("0s").jwtKey("cid:/no/such/key.pem");

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'port'").hasMessageContaining("'user'").hasMessageContaining("Mars/Olympus")
                .hasMessageContaining("'oauth-client'").hasMessageContaining("'rate-limit'")
                .hasMessageContaining("'fault'").hasMessageContaining("'token-lifetime'")
                .hasMessageContaining("'jwt-key'");
    }
}
