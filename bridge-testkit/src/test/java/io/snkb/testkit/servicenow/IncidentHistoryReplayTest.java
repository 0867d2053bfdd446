package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentHistoryReplayTest {

    static final Path CSV = Path.of("..", "examples", "data", "incident_event_log.csv");
    private static IncidentHistoryReplay replay;
    private ServiceNowSimulator sim;

    @BeforeAll
    static void load() {
        replay = IncidentHistoryReplay.fromCsv(CSV);
    }

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC).build().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void replaysEveryEventIntoOneRowPerIncident() {
        ReplayResult result = replay.replay(sim);

        assertThat(replay.totalEvents()).isEqualTo(5998);
        assertThat(replay.distinctIncidents()).isEqualTo(890);
        assertThat(result.applied()).isEqualTo(5998);
        assertThat(result.created()).isEqualTo(890);
        assertThat(sim.table("incident").size()).isEqualTo(890);
    }

    @Test
    void bundledHistoryIsTheProjectCopyOfTheDataSet() {
        IncidentHistoryReplay bundled = IncidentHistoryReplay.bundled();

        assertThat(bundled.totalEvents()).isEqualTo(5998);
        assertThat(bundled.distinctIncidents()).isEqualTo(890);
        assertThat(bundled.events()).isEqualTo(replay.events());
    }

    @Test
    void incidentEndsInTheStateOfItsLastEvent() {
        replay.replay(sim);
        List<Map<String, String>> events = replay.events().stream()
                .filter(e -> e.get("number").equals("INC0000045")).toList();
        Map<String, String> last = events.get(events.size() - 1);

        Map<String, String> row = sim.table("incident").findBy("number", "INC0000045").orElseThrow();

        assertThat(row.get("incident_state")).isEqualTo(last.get("incident_state"));
        assertThat(row.get("sys_updated_on")).isEqualTo(last.get("sys_updated_on"));
        assertThat(row.get("sys_mod_count")).isEqualTo(last.get("sys_mod_count"));
        assertThat(row.get("sys_updated_by")).isEqualTo(last.get("sys_updated_by"));
        assertThat(row.get("active")).isIn("true", "false");
        assertThat(row.get("closed_at")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:00");
        String caller = sim.table("sys_user").get(row.get("caller_id")).orElseThrow().get("name");
        assertThat(caller).isEqualTo(last.get("caller_id"));
    }

    @Test
    void referencesBecomeRowsCreatedOncePerName() {
        replay.replay(sim);
        SimClient client = SimClient.basic(sim, "snkb", "pw");

        JsonNode rec = json(client.get("/api/now/table/incident?sysparm_display_value=true"
                + "&sysparm_exclude_reference_link=true&sysparm_query=number%3DINC0000045")).get("result").get(0);

        assertThat(rec.get("caller_id").asText()).isEqualTo("Caller 2403");
        assertThat(rec.get("assignment_group").asText()).isEqualTo("Group 56");
        assertThat(sim.table("sys_user").findBy("name", "Caller 2403")).isPresent();
        long callers = sim.table("sys_user").rows().stream().filter(r -> "Caller 2403".equals(r.get("name")))
                .count();
        assertThat(callers).isEqualTo(1);
    }

    @Test
    void historicalStampsNeverDecreaseInReplayOrder() {
        List<Map<String, String>> events = replay.events();

        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("sys_updated_on")).isGreaterThanOrEqualTo(
                    events.get(i - 1).get("sys_updated_on"));
        }
    }

    @Test
    void paceIsKeptAndReplayCanBeStopped() {
        ReplayHandle handle = replay.replayInto(sim, ReplayOptions.rate(200));

        await().atMost(Duration.ofSeconds(5)).until(() -> handle.applied() >= 20);
        handle.stop();
        ReplayResult result = handle.done().join();

        assertThat(result.stopped()).isTrue();
        assertThat(result.applied()).isLessThan(5998).isEqualTo(handle.applied());
        assertThat(handle.total()).isEqualTo(5998);
    }

    @Test
    void clockStampedReplayUsesTheSimulatorClock() {
        ReplayResult result = replay.replayInto(sim, ReplayOptions.instant().stampedByClock().firstEvents(50))
                .done().join();

        assertThat(result.applied()).isEqualTo(50);
        assertThat(sim.table("incident").rows()).allSatisfy(r -> assertThat(r.get("sys_updated_on"))
                .startsWith(String.valueOf(java.time.Year.now(ZoneOffset.UTC).getValue())));
    }

    @Test
    void seederCreatesReferencedRowsUnicodeAndSharedSeconds() {
        Instant first = Instant.parse("2024-01-01T00:00:00Z");
        Seeder.Seeded seeded = Seeder.builder().incidents(30).users(4).groups(2).locations(2)
                .stamped(first, 10).build().seed(sim);

        List<Map<String, String>> rows = sim.table("incident").rows();
        assertThat(seeded.incidents()).hasSize(30);
        assertThat(rows.stream().map(r -> r.get("sys_updated_on")).distinct()).hasSize(3);
        assertThat(rows).allSatisfy(r -> assertThat(seeded.users()).contains(r.get("caller_id")));
        assertThat(rows).anySatisfy(r -> assertThat(r.get("short_description") + r.get("comments")
                + r.get("work_notes")).containsPattern("[\\x{1F300}-\\x{1FAFF}]|[\\u3040-\\u30ff]|ü"));
        assertThat(rows.get(0).get("description").length()).isGreaterThan(1000);
    }
}
