package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.awaitFreshPoll;
import static io.snkb.bridge.internal.SourceTestSupport.config;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.runtime;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.EngineState;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A non-UTC integration user: the instance reads query dates in the user's zone, so a cursor written in the
 * wrong zone would skip rows (bound too late) or repeat hours of them (bound too early). The simulator reads
 * plain literals as UTC or in the user's zone, as instances are reported to differ; the bridge must select the
 * same rows either way.
 */
class TimeZoneCursorTest {
    private static final String BEFORE = "0".repeat(31) + "1";
    private static final String AT = "0".repeat(31) + "2";
    private static final String AFTER = "0".repeat(31) + "3";

    @TempDir
    Path offsets;

    @ParameterizedTest(name = "{0}, cursor {1}, plain literals in user zone: {2}")
    @CsvSource({
        "Pacific/Kiritimati, 2024-03-05T07:00:00Z, false",
        "Pacific/Kiritimati, 2024-03-05T07:00:00Z, true",
        "America/Los_Angeles, 2024-03-05T07:00:00Z, true",
        // One minute either side of the cursor lies across the spring-forward change (02:00 PST -> 03:00 PDT).
        "America/Los_Angeles, 2024-03-10T10:00:00Z, false",
        "America/Los_Angeles, 2024-03-10T10:00:00Z, true",
    })
    void nonUtcUserSelectsRecordsOneMinuteEitherSideOfTheCursorCorrectly(String zone, String cursor,
                                                                         boolean plainInUserZone) {
        ManualClock clock = ManualClock.at(cursor);
        Instant at = Instant.parse(cursor);
        try (ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of(zone))
                .plainLiteralsInUserZone(plainInUserZone).clock(clock).build().start()) {
            String topic = uniqueTopic("zone");
            SimTable incident = sim.table("incident");
            incident.insert(Map.of("sys_id", AT, "short_description", "at the cursor"));

            EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
            try (engine) {
                engine.start();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() == 1);
                awaitFreshPoll(engine, "dev", "incident");

                // Committed late, a minute before the cursor (outside the 2 s re-read window), and a minute after.
                clock.set(at.minusSeconds(60));
                incident.insert(Map.of("sys_id", BEFORE, "short_description", "a minute before"));
                clock.set(at.plusSeconds(60));
                incident.insert(Map.of("sys_id", AFTER, "short_description", "a minute after"));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() >= 2);
                awaitFreshPoll(engine, "dev", "incident");
                awaitFreshPoll(engine, "dev", "incident");

                try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                    List<String> keys = records.readToEnd().stream().map(TopicRecords::key).toList();
                    assertThat(keys).containsExactly(AT, AFTER);
                }
                assertThat(sim.requestLog()).anySatisfy(r -> assertThat(r.pathAndQuery())
                        .contains("sys_updated_on%3E%3Djavascript%3Ags.dateGenerate"));
            }
        }
    }

    @Test
    void anUnreadableZoneOnAnInstanceThatReadsQueriesInTheUsersZoneFailsTheTableInsteadOfSkippingRows() {
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("America/Los_Angeles"))
                .plainLiteralsInUserZone(true).clock(clock).build().start()) {
            sim.faults().apply("error=403:path=/api/now/table/sys_user",
                    "error=403:path=/api/now/table/sys_properties");
            sim.table("incident").insert(Map.of("sys_id", AT, "short_description", "at the cursor"));
            String topic = uniqueTopic("zone-unknown");

            EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
            try (engine) {
                engine.start();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> status(engine, "dev", "incident").state() == EngineState.FAILED);
                assertThat(status(engine, "dev", "incident").lastError())
                        .contains("does not read date-times in queries as UTC", "instances[].time-zone");
                assertThat(engine.health().ready()).isFalse();
            }
        }
    }

    @Test
    void configuredZoneIsUsedWithoutLookingItUp() {
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("Pacific/Kiritimati"))
                .clock(clock).build().start()) {
            sim.faults().apply("error=403:path=/api/now/table/sys_user");
            String topic = uniqueTopic("zone-configured");
            sim.table("incident").insert(Map.of("sys_id", AT, "short_description", "at the cursor"));
            InstanceConfig base = instance(sim.baseUrl(), table("incident", topic, 10));
            InstanceConfig configured = new InstanceConfig(base.name(), base.baseUrl(), base.auth(),
                    base.connectTimeout(), base.requestTimeout(), base.tables(), "Pacific/Kiritimati");

            EngineRuntime engine = runtime(config(offsets, configured));
            try (engine) {
                engine.start();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() == 1);
                awaitFreshPoll(engine, "dev", "incident");
                clock.advance(Duration.ofSeconds(60));
                sim.table("incident").insert(Map.of("sys_id", AFTER, "short_description", "a minute after"));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() == 2);
            }
            assertThat(sim.requestLog()).noneMatch(r -> r.pathAndQuery().startsWith("/api/now/table/sys_user"));
        }
    }
}
