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

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.Position;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SourcePathTest {
    private static final ManualClock SIM_CLOCK = ManualClock.at("2024-03-05T07:00:00Z");

    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC"))
            .clock(SIM_CLOCK).maxLimit(10_000).build().start();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private static List<Map<String, String>> seed(SimTable table, int count) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(table.insert(Map.of("short_description", "row " + i + " – Grüße 🚀", "active", "true")));
        }
        return rows;
    }

    @Test
    void everyRowArrivesOnceWithKeyValueAndHeaders() {
        String topic = uniqueTopic("incident");
        kafka().createTopic(topic, 3);
        SimTable incident = sim.table("incident");
        List<Map<String, String>> rows = seed(incident, 30);
        SIM_CLOCK.advance(Duration.ofSeconds(1));
        rows.addAll(seed(incident, 10));

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 7))));
        try (engine; TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            engine.start();
            List<ConsumerRecord<byte[], byte[]>> received = records.awaitAtLeast(40);
            assertThat(received).hasSize(40);
            assertThat(received).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> r.get("sys_id")).toList());

            ConsumerRecord<byte[], byte[]> first = received.get(0);
            JsonNode value = TopicRecords.value(first);
            assertThat(value.at("/after/sys_id").asText()).isEqualTo(TopicRecords.key(first));
            assertThat(value.at("/after/short_description").asText()).contains("Grüße 🚀");
            assertThat(value.get("op").asText()).isEqualTo("c");
            assertThat(value.at("/source/read_mode").asText()).isEqualTo("poll");
            assertThat(TopicRecords.header(first, "snkb.instance")).isEqualTo("dev");
            assertThat(TopicRecords.header(first, "snkb.table")).isEqualTo("incident");
            assertThat(TopicRecords.header(first, "snkb.op")).isEqualTo("c");
            assertThat(TopicRecords.header(first, "content-type")).isEqualTo("application/json");

            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.readToEnd()).as("a further poll emits nothing").hasSize(40);

            SIM_CLOCK.advance(Duration.ofSeconds(1));
            for (Map<String, String> row : rows.subList(0, 5)) {
                incident.update(row.get("sys_id"), Map.of("state", "2"));
            }
            List<ConsumerRecord<byte[], byte[]>> all = records.awaitAtLeast(45);
            List<ConsumerRecord<byte[], byte[]>> updates = all.subList(40, all.size());
            assertThat(updates).hasSize(5).allSatisfy(r -> {
                assertThat(TopicRecords.header(r, "snkb.op")).isEqualTo("u");
                assertThat(TopicRecords.value(r).at("/after/sys_mod_count").asText()).isEqualTo("1");
                assertThat(TopicRecords.value(r).at("/after/state").asText()).isEqualTo("2");
            });

            awaitFreshPoll(engine, "dev", "incident");
            TableStatus status = status(engine, "dev", "incident");
            assertThat(status.state()).isEqualTo(EngineState.RUNNING);
            assertThat(status.recordsProduced()).isEqualTo(45);
            assertThat(status.position()).isEqualTo(lastPosition(incident));
        }
    }

    @Test
    void withSysModCountUnreadableTwoUpdatesInOneSecondAreBothSentAndUnchangedRowsAreNotSentAgain() {
        String topic = uniqueTopic("no-mod-count");
        kafka().createTopic(topic, 1);
        SimTable incident = sim.table("incident");
        List<Map<String, String>> rows = seed(incident, 3);
        sim.faults().hideFields("*", "incident", "sys_mod_count");

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine; TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            engine.start();
            assertThat(records.awaitAtLeast(3)).hasSize(3);
            SIM_CLOCK.advance(Duration.ofSeconds(1));
            for (Map<String, String> row : rows) {
                incident.update(row.get("sys_id"), Map.of("state", "2"));
            }
            assertThat(records.awaitAtLeast(6)).hasSize(6);
            // The same second again: only the content tells these versions from the ones just sent.
            for (Map<String, String> row : rows) {
                incident.update(row.get("sys_id"), Map.of("state", "3"));
            }
            List<ConsumerRecord<byte[], byte[]>> received = records.awaitAtLeast(9);
            assertThat(received.subList(6, 9)).allSatisfy(r -> {
                assertThat(TopicRecords.value(r).at("/after/state").asText()).isEqualTo("3");
                assertThat(TopicRecords.value(r).at("/after").has("sys_mod_count")).isFalse();
            });

            awaitFreshPoll(engine, "dev", "incident");
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.readToEnd()).as("rows read again unchanged are not sent again").hasSize(9);
        }
    }

    @Test
    void rowsSharingOneSecondAcrossPagesAreEmittedOnce() {
        String topic = uniqueTopic("tied");
        SimTable incident = sim.table("incident");
        seed(incident, 250);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 100))));
        try (engine) {
            engine.start();
            awaitFreshPoll(engine, "dev", "incident");
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
                assertThat(received).hasSize(250);
                assertThat(received.stream().map(TopicRecords::key).collect(Collectors.toSet())).hasSize(250);
            }
            assertThat(status(engine, "dev", "incident").position()).isEqualTo(lastPosition(incident));
        }
    }

    @Test
    void nullEmptyStringEmptyBooleanAndEmojiSurviveToKafkaUnchanged() {
        String topic = uniqueTopic("values");
        Map<String, String> fields = new java.util.HashMap<>();
        fields.put("short_description", "Drucker 🖨️ streikt – 日本語 \u0000-free \"quoted\" \\ slash");
        fields.put("description", null);
        fields.put("close_notes", "");
        fields.put("active", "");
        fields.put("u_flag", "false");
        Map<String, String> row = sim.table("incident").insert(fields);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine; TopicRecords records = waitForTopic(engine, topic)) {
            JsonNode after = TopicRecords.value(records.awaitAtLeast(1).get(0)).get("after");
            assertThat(after.get("short_description").asText()).isEqualTo(row.get("short_description"));
            assertThat(after.get("description").isNull()).as("null stays null").isTrue();
            assertThat(after.get("close_notes").isTextual()).isTrue();
            assertThat(after.get("close_notes").asText()).as("empty stays empty, not null").isEmpty();
            assertThat(after.get("active").asText()).as("an unset boolean stays empty").isEmpty();
            assertThat(after.get("u_flag").asText()).isEqualTo("false");
        }
    }

    @Test
    void recordUpdatedBetweenTwoPagesAndOneInsertedAheadOfTheCursorAreNotSkipped() {
        String topic = uniqueTopic("between");
        SimTable incident = sim.table("incident");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(incident.insert(Map.of("short_description", "row " + i)));
            SIM_CLOCK.advance(Duration.ofSeconds(1));
        }
        // Slow pages give the test time to change the table between the first page and the next.
        sim.faults().latency(Duration.ofMillis(300));

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine; TopicRecords records = waitForTopic(engine, topic)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.requestLog().stream()
                    .anyMatch(r -> r.pathAndQuery().startsWith("/api/now/table/incident") && r.status() == 200));
            SIM_CLOCK.advance(Duration.ofSeconds(5));
            String readAlready = rows.get(2).get("sys_id");
            String notReadYet = rows.get(25).get("sys_id");
            incident.update(readAlready, Map.of("state", "2"));
            incident.update(notReadYet, Map.of("state", "3"));
            String inserted = incident.insert(Map.of("short_description", "ahead of the cursor")).get("sys_id");
            sim.faults().clear();

            List<ConsumerRecord<byte[], byte[]>> received = records.awaitAtLeast(32);
            awaitFreshPoll(engine, "dev", "incident");
            received = records.readToEnd();
            assertThat(received.stream().map(TopicRecords::key).collect(Collectors.toSet()))
                    .containsAll(rows.stream().map(r -> r.get("sys_id")).toList()).contains(inserted);
            assertThat(received).filteredOn(r -> TopicRecords.key(r).equals(readAlready))
                    .extracting(r -> TopicRecords.value(r).at("/after/state").asText()).last().isEqualTo("2");
            assertThat(received).filteredOn(r -> TopicRecords.key(r).equals(notReadYet))
                    .extracting(r -> TopicRecords.value(r).at("/after/state").asText()).last().isEqualTo("3");
        }
    }

    @Test
    void shortPageCausedByRowLevelAclsIsNotTheEnd() {
        String topic = uniqueTopic("acl");
        SimTable incident = sim.table("incident");
        List<String> visible = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            String sysId = String.format("%032d", i);
            incident.insert(Map.of("sys_id", sysId, "short_description", i <= 6 ? "secret" : "open"));
            if (i > 6) {
                visible.add(sysId);
            }
        }
        // The page limit applies before the ACL, so the first page of 10 returns only 4 rows.
        sim.faults().hideRows("*", "incident", "short_description=secret");

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine; TopicRecords records = waitForTopic(engine, topic)) {
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.readToEnd()).extracting(TopicRecords::key).containsExactlyInAnyOrderElementsOf(visible);
        }
    }

    @Test
    void wholePagesHiddenByRowLevelAclsAreSteppedOverWithoutStalling() {
        String topic = uniqueTopic("acl-pages");
        SimTable incident = sim.table("incident");
        List<String> visible = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String sysId = String.format("%032d", i);
            boolean hidden = i <= 23 || i == 27;
            incident.insert(Map.of("sys_id", sysId, "short_description", hidden ? "secret" : "open"));
            if (!hidden) {
                visible.add(sysId);
            }
        }
        // Pages of 10: the first two come back empty, the third holds one visible row.
        sim.faults().hideRows("*", "incident", "short_description=secret");

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine; TopicRecords records = waitForTopic(engine, topic)) {
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.awaitAtLeast(visible.size())).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(visible);
            assertThat(records.readToEnd()).hasSize(visible.size());
        }
    }

    @Test
    void lateRowsAtAndBeforeTheCursorSecondAreCaughtByTheRereadWindow() {
        String topic = uniqueTopic("late");
        SimTable incident = sim.table("incident");
        seed(incident, 5);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 100))));
        try (engine; TopicRecords records = waitForTopic(engine, topic)) {
            records.awaitAtLeast(5);
            awaitFreshPoll(engine, "dev", "incident");

            // Committed late: stamped with the cursor's own second, and with an earlier second.
            incident.insert(Map.of("sys_id", "00000000000000000000000000000001", "short_description", "tie"));
            SIM_CLOCK.advance(Duration.ofSeconds(-1));
            incident.insert(Map.of("sys_id", "00000000000000000000000000000002", "short_description", "older"));
            SIM_CLOCK.advance(Duration.ofSeconds(1));

            List<ConsumerRecord<byte[], byte[]>> received = records.awaitAtLeast(7);
            assertThat(received).extracting(TopicRecords::key)
                    .contains("00000000000000000000000000000001", "00000000000000000000000000000002");
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.readToEnd()).hasSize(7);
        }
    }

    @Test
    void fieldListAndTableQueryLimitWhatIsRead() {
        String topic = uniqueTopic("filtered");
        SimTable incident = sim.table("incident");
        incident.insert(Map.of("short_description", "open", "active", "true", "description", "long text"));
        incident.insert(Map.of("short_description", "closed", "active", "false", "description", "long text"));
        TableConfig filtered = new TableConfig("incident", topic, List.of("short_description"), "active=true",
                100, SourceTestSupport.POLL_INTERVAL, SourceTestSupport.REREAD_WINDOW);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), filtered)));
        try (engine; TopicRecords records = waitForTopic(engine, topic)) {
            awaitFreshPoll(engine, "dev", "incident");
            List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
            assertThat(received).hasSize(1);
            JsonNode after = TopicRecords.value(received.get(0)).get("after");
            assertThat(after.get("short_description").asText()).isEqualTo("open");
            Set<String> names = new java.util.TreeSet<>();
            after.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyInAnyOrder("short_description", "sys_id", "sys_updated_on",
                    "sys_mod_count", "sys_created_on");
        }
    }

    @Test
    void pollerThreadsAndTheirLogLinesNameInstanceAndTable() {
        List<String> threadNames = new java.util.concurrent.CopyOnWriteArrayList<>();
        EngineOptions options = SourceTestSupport.FAST.withThreads((name, task) -> {
            threadNames.add(name);
            return new Thread(task, name);
        });
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger pollerLog = (Logger) LoggerFactory.getLogger(io.snkb.bridge.internal.source.TablePoller.class);
        pollerLog.addAppender(logged);
        seed(sim.table("incident"), 2);
        var config = config(offsets, instance(sim.baseUrl(), table("incident", uniqueTopic("named"), 10)));
        try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null,
                java.time.Clock.systemUTC(), options)) {
            engine.start();
            awaitFreshPoll(engine, "dev", "incident");
        } finally {
            pollerLog.detachAppender(logged);
        }
        assertThat(threadNames).contains("snkb-poll-dev-incident", "snkb-positions");
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().startsWith("Poll of dev/incident"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                        .containsEntry("snkb.instance", "dev").containsEntry("snkb.table", "incident"));
    }

    private static TopicRecords waitForTopic(EngineRuntime engine, String topic) {
        engine.start();
        return new TopicRecords(kafka().bootstrapServers(), topic);
    }

    private static Position lastPosition(SimTable table) {
        return table.rows().stream()
                .map(r -> new Position(ServiceNowTime.parse(r.get("sys_updated_on")), r.get("sys_id")))
                .max(Comparator.naturalOrder()).orElseThrow();
    }
}
