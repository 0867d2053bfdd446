package io.snkb.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.TableStatus;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.IncidentHistoryReplay;
import io.snkb.testkit.servicenow.ReplayOptions;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityTest {
    private static final String PRODUCED = "bridge_records_produced_total";
    private static final String LAG = "bridge_offset_lag_seconds";

    @TempDir
    Path offsets;

    @Test
    void producedCounterMatchesWhatReachedKafkaAfterAReplay() throws Exception {
        IncidentHistoryReplay history = IncidentHistoryReplay.bundled();
        try (ServiceNowSimulator sim = Harness.simulator().build().start();
             Harness harness = new Harness(sim, offsets, Clock.systemUTC(), Map.of())) {
            history.replayInto(sim, ReplayOptions.rate(4000).stampedByClock().firstEvents(1200)).done().get();
            awaitTwoPollsAfter(harness, Instant.now());

            long inKafka = TopicCount.of(harness.topic);
            assertThat(inKafka).isGreaterThanOrEqualTo(sim.table("incident").rows().size());
            assertThat(harness.sample(PRODUCED)).isEqualTo((double) inKafka);
            assertThat(harness.sample("bridge_records_read_total")).isGreaterThanOrEqualTo(inKafka);
            assertThat(harness.sample("bridge_records_failed_total")).isZero();
        }
    }

    @Test
    void lagIsZeroWhenCaughtUpAndIdleAndGrowsWhileServiceNowIsUnreachable() {
        ManualClock clock = new ManualClock(Instant.now());
        try (ServiceNowSimulator sim = Harness.simulator().build().start();
             Harness harness = new Harness(sim, offsets, clock, Map.of())) {
            sim.table("incident").insert(Map.of("short_description", "printer on fire"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.sample(PRODUCED) == 1);

            // A minute without changes: the last record ages, the lag must not. Once a poll that began after
            // the jump completes, the lag is measured from its start; the clock stands still, so it reads zero.
            clock.advance(Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.sample(LAG) < 1.0);
            assertThat(harness.sample(LAG)).isZero();

            sim.faults().hibernate();
            awaitRequests(sim, 1);
            clock.advance(Duration.ofSeconds(90));
            assertThat(harness.sample(LAG)).isGreaterThanOrEqualTo(90.0);
            clock.advance(Duration.ofSeconds(30));
            assertThat(harness.sample(LAG)).isGreaterThanOrEqualTo(120.0);

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> harness.sample(LAG) < 1.0);
        }
    }

    @Test
    void readyTurnsNotReadyWhileServiceNowAnswers401AndRecoversAfterwards() throws Exception {
        try (ServiceNowSimulator sim = Harness.simulator().build().start();
             Harness harness = new Harness(sim, offsets, Clock.systemUTC(), Map.of())) {
            sim.table("incident").insert(Map.of("short_description", "vpn down"));
            await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/ready").statusCode() == 200);

            Instant beforeFault = Instant.now();
            sim.faults().apply("error=401");
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.get("/ready").statusCode() == 503);
            HttpResponse<String> notReady = harness.get("/ready");
            assertThat(notReady.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(notReady.body()).contains("\"status\" : \"NOT_READY\"", "\"credentialsRefused\" : true",
                    "\"table\" : \"incident\"", "HTTP 401").doesNotContain(Harness.PASSWORD);
            assertThat(harness.get("/health").statusCode()).isEqualTo(200);

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> harness.get("/ready").statusCode() == 200);
            assertThat(harness.get("/ready").body()).contains("\"status\" : \"READY\"", "\"reachable\" : true");
            // The error the table recovered from stays, with when it happened, so it is not taken for a new one.
            JsonNode table = new ObjectMapper().readTree(harness.get("/ready").body()).path("tables").get(0);
            assertThat(table.path("state").asText()).isEqualTo("RUNNING");
            assertThat(table.path("lastError").asText()).contains("HTTP 401");
            assertThat(Instant.parse(table.path("lastErrorAt").asText())).isAfterOrEqualTo(beforeFault)
                    .isBeforeOrEqualTo(Instant.now());
        }
    }

    @Test
    void readyNamesTheSinkTopicWhoseWritesAreRefusedFor401WithoutTheSecret() throws Exception {
        try (ServiceNowSimulator sim = Harness.simulator().build().start();
             Harness harness = new Harness(sim, offsets, Clock.systemUTC(), Map.of(), 200, true)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/ready").statusCode() == 200);
            assertThat(harness.get("/ready").body()).contains("\"topic\" : \"" + harness.sinkTopic + "\"",
                    "\"credentialsRefused\" : false");

            sim.faults().apply("error=401:path=/api/now/table/problem");
            harness.sendToSink("{\"correlation_id\":\"alert-401\"}");

            await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/ready").statusCode() == 503);
            String body = harness.get("/ready").body();
            assertThat(body).contains("\"status\" : \"NOT_READY\"").doesNotContain(Harness.PASSWORD);
            JsonNode ready = new ObjectMapper().readTree(body);
            JsonNode topic = ready.path("sink").path("topics").get(0);
            assertThat(topic.path("topic").asText()).isEqualTo(harness.sinkTopic);
            assertThat(topic.path("instance").asText()).isEqualTo("dev");
            assertThat(topic.path("table").asText()).isEqualTo("problem");
            assertThat(topic.path("ok").asBoolean()).isFalse();
            assertThat(topic.path("state").asText()).isEqualTo("RETRYING");
            assertThat(topic.path("credentialsRefused").asBoolean()).isTrue();
            assertThat(topic.path("lastError").asText()).contains(harness.sinkTopic, "Instance 'dev'", "HTTP 401");
            assertThat(ready.path("tables").get(0).path("ok").asBoolean()).as("the source table reads on").isTrue();
            assertThat(harness.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthIsDownOnceTheEngineStopped() {
        try (ServiceNowSimulator sim = Harness.simulator().build().start();
             Harness harness = new Harness(sim, offsets, Clock.systemUTC(), Map.of())) {
            assertThat(harness.get("/health").statusCode()).isEqualTo(200);
            harness.engine.close();
            HttpResponse<String> health = harness.get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\" : \"DOWN\"", "\"engine\" : \"STOPPED\"");
            assertThat(harness.scrape()).doesNotContain(LAG);
        }
    }

    @Test
    void unreadableAuditTableShowsInHealthAndInTheDeletesGauge() {
        try (ServiceNowSimulator sim = Harness.simulator().build().start();
             Harness harness = new Harness(sim, offsets, Clock.systemUTC(), Map.of())) {
            sim.table("incident").insert(Map.of("short_description", "vpn down"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.sample(PRODUCED) == 1);
            assertThat(harness.sample("bridge_deletes_captured")).isEqualTo(1.0);
            assertThat(harness.get("/health").body()).contains("\"deletes\" : \"CAPTURED\"");

            sim.faults().apply("error=403:path=/api/now/table/sys_audit_delete");
            String id = sim.table("incident").rows().get(0).get("sys_id");
            sim.table("incident").update(id, Map.of("state", "2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.sample("bridge_deletes_captured") == 0.0);
            HttpResponse<String> health = harness.get("/health");
            assertThat(health.body()).contains("\"deletes\" : \"NOT_CAPTURED\"", "\"deletesProblem\"",
                    "sys_audit_delete", "HTTP 403");
            assertThat(harness.get("/ready").body()).contains("\"deletes\" : \"NOT_CAPTURED\"");
        }
    }

    /** Waits until {@code count} more requests reached the simulator than had when called. */
    private static void awaitRequests(ServiceNowSimulator sim, int count) {
        long start = sim.requestCount();
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.requestCount() >= start + count);
    }

    /** Waits until two polls finished after {@code time}, so the second one started after it. */
    private static void awaitTwoPollsAfter(Harness harness, Instant time) {
        await().atMost(Duration.ofSeconds(30)).until(() -> polledAfter(harness, time));
        Instant first = harness.engine.status().tables().get(0).lastPollAt();
        await().atMost(Duration.ofSeconds(30)).until(() -> polledAfter(harness, first));
    }

    private static boolean polledAfter(Harness harness, Instant time) {
        TableStatus table = harness.engine.status().tables().get(0);
        return table.lastPollAt() != null && table.lastPollAt().isAfter(time);
    }
}
