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
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.internal.offsets.FileOffsetStore;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
    @TempDir
    Path dir;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private static void seed(SimTable table, int count) {
        for (int i = 0; i < count; i++) {
            table.insert(Map.of("short_description", "row " + i));
        }
    }

    private static Set<String> sysIds(SimTable table) {
        return table.rows().stream().map(r -> r.get("sys_id")).collect(Collectors.toSet());
    }

    @Test
    void stopInTheMiddleOfAPollThenRestartLosesNothingAndRepeatsOnlyTheRereadWindow() {
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator timed = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).clock(clock)
                .build().start()) {
            String topic = uniqueTopic("restart");
            SimTable incident = timed.table("incident");
            for (int second = 0; second < 12; second++) {
                seed(incident, 50);
                clock.advance(Duration.ofSeconds(1));
            }
            timed.faults().latency(Duration.ofMillis(20));
            BridgeConfig config = config(dir, instance(timed.baseUrl(), table("incident", topic, 20)));

            EngineRuntime first = runtime(config);
            first.start();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> status(first, "dev", "incident").recordsProduced() >= 100);
            assertThat(first.close(Duration.ofSeconds(10))).isTrue();
            Position stored = status(first, "dev", "incident").position();
            assertThat(status(first, "dev", "incident").recordsProduced()).isLessThan(600);

            // Late ties, committed after the stop and stamped with the stored position's own second.
            clock.set(stored.updatedOn());
            incident.insert(Map.of("sys_id", "0".repeat(32), "short_description", "sorts before every other"));
            seed(incident, 20);
            // A late commit stamped a second before the stored position, inside the re-read window.
            clock.set(stored.updatedOn().minusSeconds(1));
            String late = incident.insert(Map.of("short_description", "committed late while stopped"))
                    .get("sys_id");
            timed.faults().clear();
            try (EngineRuntime second = runtime(config);
                 TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                second.start();
                awaitFreshPoll(second, "dev", "incident");
                List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
                assertThat(received.stream().map(TopicRecords::key).collect(Collectors.toSet()))
                        .isEqualTo(sysIds(incident)).contains(late);
                List<String> repeated = received.stream()
                        .collect(Collectors.groupingBy(TopicRecords::key, Collectors.counting()))
                        .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
                Instant windowStart = stored.updatedOn().minus(SourceTestSupport.REREAD_WINDOW);
                assertThat(repeated).allSatisfy(sysId -> assertThat(ServiceNowTime.parse(incident.get(sysId)
                        .orElseThrow().get("sys_updated_on"))).isBetween(windowStart, stored.updatedOn()));
            }
        }
    }

    @Test
    void aRowCommittedLateBehindTheStoredPositionWhileStoppedIsSentAfterTheRestart() {
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator timed = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).clock(clock)
                .build().start()) {
            String topic = uniqueTopic("restart-late");
            SimTable incident = timed.table("incident");
            String updated = incident.insert(Map.of("short_description", "first version")).get("sys_id");
            clock.advance(Duration.ofSeconds(1));
            seed(incident, 5);
            BridgeConfig config = config(dir, instance(timed.baseUrl(), table("incident", topic, 20)));
            EngineRuntime first = runtime(config);
            first.start();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> status(first, "dev", "incident").recordsProduced() == 6);
            assertThat(first.close(Duration.ofSeconds(10))).isTrue();

            // While stopped: a transaction that began a second ago commits an update of a row sent before,
            // stamped behind the stored position.
            clock.set(Instant.parse("2024-03-05T07:00:00Z"));
            incident.update(updated, Map.of("short_description", "second version, committed late"));
            try (EngineRuntime second = runtime(config);
                 TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                second.start();
                awaitFreshPoll(second, "dev", "incident");
                assertThat(records.readToEnd()).filteredOn(r -> updated.equals(TopicRecords.key(r)))
                        .extracting(r -> TopicRecords.value(r).at("/after/short_description").asText())
                        .containsSubsequence("first version", "second version, committed late");
            }
        }
    }

    @Test
    void crashAtAnyInstantLosesNothing() throws IOException {
        String topic = uniqueTopic("crash");
        SimTable incident = sim.table("incident");
        seed(incident, 600);
        sim.faults().latency(Duration.ofMillis(20));
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");

        try (EngineRuntime engine = runtime(config(live, instance(sim.baseUrl(), table("incident", topic, 20))))) {
            engine.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> status(engine, "dev", "incident").position() != null
                    && status(engine, "dev", "incident").recordsProduced() >= 150);
            // What a machine that died now would find on its disk.
            Files.createDirectories(crashed);
            Files.copy(live.resolve("positions.json"), crashed.resolve("positions.json"));
        }

        sim.faults().clear();
        try (EngineRuntime restarted = runtime(config(crashed, instance(sim.baseUrl(), table("incident", topic, 20))));
             TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            restarted.start();
            awaitFreshPoll(restarted, "dev", "incident");
            Set<String> keys = records.readToEnd().stream().map(TopicRecords::key).collect(Collectors.toSet());
            assertThat(keys).isEqualTo(sysIds(incident));
        }
    }

    @Test
    void recordKafkaRefusesHoldsThePositionUntilItCanBeSent() {
        String topic = uniqueTopic("refused");
        SimTable incident = sim.table("incident");
        seed(incident, 3);
        // The largest sys_id, so that the refused row comes after the others in keyset order.
        Map<String, String> huge = incident.insert(Map.of("sys_id", "f".repeat(32), "short_description",
                "x".repeat(20_000)));
        BridgeConfig base = config(dir, instance(sim.baseUrl(), table("incident", topic, 10)));
        BridgeConfig config = new BridgeConfig(base.instances(), new KafkaConfig(kafka().bootstrapServers(),
                Map.of("max.request.size", "8000")), base.source(), base.sink(), base.offsets(), base.http(),
                base.shutdownTimeout());

        try (EngineRuntime engine = runtime(config)) {
            engine.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(engine, "dev", "incident").state()
                    == EngineState.RETRYING && status(engine, "dev", "incident").position() != null);
            assertThat(status(engine, "dev", "incident").lastError()).contains("Kafka did not accept", topic);
            Position held = status(engine, "dev", "incident").position();
            assertThat(held.sysId()).isNotEqualTo(huge.get("sys_id"));

            incident.update(huge.get("sys_id"), Map.of("short_description", "small now"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RUNNING);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                assertThat(records.readToEnd()).extracting(TopicRecords::key).containsAll(sysIds(incident));
            }
        }
    }

    @Test
    void killMidwayThroughRecordsSharingOneSecondThenRestartEmitsTheRest() throws IOException {
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator timed = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).clock(clock)
                .build().start()) {
            String topic = uniqueTopic("kill-tied");
            SimTable incident = timed.table("incident");
            seed(incident, 250);
            timed.faults().latency(Duration.ofMillis(30));
            Path live = dir.resolve("live");
            Path killed = dir.resolve("killed");

            BridgeConfig config = config(live, instance(timed.baseUrl(), table("incident", topic, 20)));
            try (EngineRuntime engine = runtime(config)) {
                engine.start();
                await().atMost(Duration.ofSeconds(15)).until(() -> status(engine, "dev", "incident").position()
                        != null && status(engine, "dev", "incident").recordsProduced() >= 60);
                // What a process killed now leaves on disk: a position inside the shared second.
                Files.createDirectories(killed);
                Files.copy(live.resolve("positions.json"), killed.resolve("positions.json"));
            }
            Position atKill;
            try (FileOffsetStore store = new FileOffsetStore(killed)) {
                store.open();
                atKill = store.read(PositionKey.records("dev", "incident")).orElseThrow();
            }
            assertThat(atKill.updatedOn()).isEqualTo(clock.instant());
            assertThat(atKill.sysId()).isNotEmpty();

            timed.faults().clear();
            try (EngineRuntime restarted = runtime(config(killed, instance(timed.baseUrl(),
                    table("incident", topic, 20))));
                 TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                restarted.start();
                awaitFreshPoll(restarted, "dev", "incident");
                Set<String> keys = records.readToEnd().stream().map(TopicRecords::key).collect(Collectors.toSet());
                assertThat(keys).isEqualTo(sysIds(incident));
            }
        }
    }
}
