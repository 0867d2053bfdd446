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

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.BackfillProgress;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.offsets.FileOffsetStore;
import io.snkb.bridge.internal.source.BackfillJob;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.RepeatedHourReading;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An integration user in New York, whose zone repeats the local hour 01:00-02:00 when daylight saving ends on
 * 2026-11-01 (05:00-07:00 UTC). ServiceNow does not document which instant it reads for a local time of that
 * hour, so each scenario runs against a simulator reading the earlier and one reading the later instant: the
 * bridge must send the same rows either way, and never write a literal of that hour.
 */
class RepeatedHourTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant HOUR_END = Instant.parse("2026-11-01T07:00:00Z");
    private static final Pattern LOCAL_LITERAL = Pattern.compile("gs\\.dateGenerate\\('([0-9-]+)','([0-9:]+)'\\)");

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at("2026-11-01T04:00:00Z");
    private ServiceNowSimulator sim;

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    private SimTable start(RepeatedHourReading reading) {
        sim = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, NEW_YORK)
                .repeatedHourReading(reading).clock(clock).build().start();
        return sim.table("incident");
    }

    /** Inserts a row stamped at {@code utcTime} on 2026-11-01; returns its sys_id. */
    private String insertAt(SimTable table, String utcTime) {
        clock.set(at(utcTime));
        return table.insert(Map.of("short_description", "stamped " + utcTime)).get("sys_id");
    }

    private static Instant at(String utcTime) {
        return Instant.parse("2026-11-01T" + utcTime + "Z");
    }

    @ParameterizedTest(name = "instance reads the {0} instant")
    @EnumSource(RepeatedHourReading.class)
    void rowsSpreadOverTheRepeatedHourAreEachSentOnceAndPollsEnd(RepeatedHourReading reading) {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour");
        List<String> firstRows = new ArrayList<>();
        for (String time : List.of("04:59:58", "04:59:59", "05:00:00", "05:00:00", "05:00:01", "05:29:59",
                "05:30:00", "05:59:59", "06:00:00", "06:00:00", "06:00:01", "06:29:59", "06:30:00")) {
            firstRows.add(insertAt(incident, time));
        }

        // Pages of two rows: the cursor stops inside the hour again and again.
        EngineRuntime engine = runtime(config(dir, instance(sim.baseUrl(), table("incident", topic, 2))));
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            awaitProduced(engine, 13);
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.readToEnd()).extracting(TopicRecords::key)
                    .as("polls that start inside the hour send nothing again").hasSize(13)
                    .containsExactlyInAnyOrderElementsOf(firstRows);

            // While the instance is inside the hour: a row that sorts before all others, and a row of its first
            // pass updated into its second.
            clock.set(at("06:40:00"));
            incident.insert(Map.of("sys_id", "0".repeat(32), "short_description", "first by sys_id"));
            incident.update(firstRows.get(5), Map.of("short_description", "updated in the second pass"));
            awaitProduced(engine, 15);

            for (String time : List.of("06:59:59", "07:00:00", "07:00:01", "07:05:00")) {
                insertAt(incident, time);
            }
            awaitProduced(engine, 19);
            // Once the instance stamped rows past the hour and the hour was read again, the position leaves it.
            await().atMost(Duration.ofSeconds(15)).until(() -> status(engine, "dev", "incident").position() != null
                    && !status(engine, "dev", "incident").position().updatedOn().isBefore(HOUR_END));
            awaitFreshPoll(engine, "dev", "incident");

            List<ConsumerRecord<byte[], byte[]>> sent = records.readToEnd();
            assertThat(sent.stream().map(r -> TopicRecords.key(r) + "@" + TopicRecords.value(r)
                    .at("/after/sys_mod_count").asText())).as("each version once").doesNotHaveDuplicates()
                    .hasSize(19);
            assertThat(sent.stream().map(TopicRecords::key).collect(Collectors.toSet())).isEqualTo(sysIds(incident));
        }
        assertOnlyUnambiguousLiteralsWereWritten();
        assertThat(decodedQueries()).as("the hour was read by sys_id")
                .anyMatch(q -> q.contains("sys_updated_on>javascript:gs.dateGenerate('2026-11-01','00:59:59')"
                        + "^sys_updated_on<javascript:gs.dateGenerate('2026-11-01','02:00:00')"));
    }

    @ParameterizedTest(name = "instance reads the {0} instant")
    @EnumSource(RepeatedHourReading.class)
    void wholePagesOfTheRepeatedHourHiddenByRowLevelAclsAreSteppedOver(RepeatedHourReading reading) {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour-acl");
        List<String> visible = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String sysId = String.format("%032d", i);
            boolean hidden = i >= 5 && i <= 22;
            // The first four come first by time, so the read enters the hour after them; read by sys_id, the
            // hour then has four pages of four that the ACL empties.
            clock.set(at(i <= 4 ? "05:00:00" : "06:00:00").plusSeconds(60L * i));
            incident.insert(Map.of("sys_id", sysId, "short_description", hidden ? "secret" : "open"));
            if (!hidden) {
                visible.add(sysId);
            }
        }
        visible.add(insertAt(incident, "07:05:00"));
        sim.faults().hideRows("*", "incident", "short_description=secret");

        EngineRuntime engine = runtime(config(dir, instance(sim.baseUrl(), table("incident", topic, 4))));
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.awaitAtLeast(visible.size())).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(visible);
        }
        assertThat(decodedQueries()).as("hidden pages of the hour were stepped over by offset")
                .anyMatch(q -> q.contains("sysparm_offset=") && q.contains("ORDERBYsys_id"));
    }

    @ParameterizedTest(name = "instance reads the {0} instant, position stored at {1}")
    @CsvSource({"EARLIER, 05:30:00", "EARLIER, 06:30:00", "LATER, 05:30:00", "LATER, 06:30:00"})
    void restartFromAPositionStoredInsideTheRepeatedHourMissesNothing(RepeatedHourReading reading, String storedAt) {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour-restart");
        Map<String, String> rows = new LinkedHashMap<>();
        for (String time : List.of("05:20:00", "05:30:00", "05:40:00", "06:20:00", "06:30:00", "06:40:00",
                "07:10:00")) {
            rows.put(insertAt(incident, time), time);
        }
        clock.set(at("07:15:00"));
        String storedRow = rows.entrySet().stream().filter(e -> e.getValue().equals(storedAt)).findFirst()
                .orElseThrow().getKey();
        Position stored = new Position(at(storedAt), storedRow);
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            store.write(Map.of(PositionKey.records("dev", "incident"), stored));
        }

        EngineRuntime engine = runtime(config(dir, instance(sim.baseUrl(), table("incident", topic, 2))));
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            awaitFreshPoll(engine, "dev", "incident");
            Set<String> sent = records.readToEnd().stream().map(TopicRecords::key).collect(Collectors.toSet());
            List<String> after = rows.keySet().stream()
                    .filter(id -> new Position(at(rows.get(id)), id).isAfter(stored)).toList();
            assertThat(after).hasSizeGreaterThanOrEqualTo(2);
            assertThat(sent).containsAll(after);
        }
        assertOnlyUnambiguousLiteralsWereWritten();
    }

    @ParameterizedTest(name = "instance reads the {0} instant")
    @EnumSource(RepeatedHourReading.class)
    void killWhileTheRepeatedHourIsReadBySysIdThenRestartLosesNothing(RepeatedHourReading reading)
            throws IOException {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour-kill");
        for (int i = 0; i < 150; i++) {
            clock.set(at("05:00:00").plusSeconds(47L * i));
            incident.insert(Map.of("short_description", "row " + i));
        }
        insertAt(incident, "07:10:00");
        clock.set(at("07:30:00"));
        sim.faults().latency(Duration.ofMillis(20));
        Path live = dir.resolve("live");
        Path killed = dir.resolve("killed");

        long producedAtKill;
        try (EngineRuntime engine = runtime(config(live, instance(sim.baseUrl(), table("incident", topic, 5))))) {
            engine.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> status(engine, "dev", "incident").position() != null
                    && status(engine, "dev", "incident").recordsProduced() >= 40);
            // What a process killed now leaves on disk, with the hour read half-way in sys_id order.
            Files.createDirectories(killed);
            Files.copy(live.resolve("positions.json"), killed.resolve("positions.json"));
            producedAtKill = status(engine, "dev", "incident").recordsProduced();
        }
        assertThat(producedAtKill).as("killed before the hour was read").isLessThan(150);
        Position atKill;
        try (FileOffsetStore store = new FileOffsetStore(killed)) {
            store.open();
            atKill = store.read(PositionKey.records("dev", "incident")).orElseThrow();
        }
        assertThat(atKill.updatedOn()).isBefore(HOUR_END);

        sim.faults().clear();
        EngineRuntime restarted = runtime(config(killed, instance(sim.baseUrl(), table("incident", topic, 5))));
        try (restarted; TopicRecords records = startAndRead(restarted, topic)) {
            awaitFreshPoll(restarted, "dev", "incident");
            Set<String> keys = records.readToEnd().stream().map(TopicRecords::key).collect(Collectors.toSet());
            assertThat(keys).isEqualTo(sysIds(incident));
        }
    }

    @ParameterizedTest(name = "instance reads the {0} instant")
    @EnumSource(RepeatedHourReading.class)
    void deletesAuditedInsideTheRepeatedHourAreEachSent(RepeatedHourReading reading) {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour-deletes");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(insertAt(incident, "04:00:00"));
        }
        deleteAt(incident, ids.get(0), "05:10:00");
        deleteAt(incident, ids.get(1), "05:50:00");
        deleteAt(incident, ids.get(2), "05:50:00");
        deleteAt(incident, ids.get(3), "06:10:00");
        deleteAt(incident, ids.get(4), "06:50:00");
        clock.set(at("06:55:00"));

        EngineRuntime engine = runtime(config(dir, instance(sim.baseUrl(), table("incident", topic, 2))));
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> deleted(records).size() == 5);
            deleteAt(incident, ids.get(5), "06:58:00");
            await().atMost(Duration.ofSeconds(15)).until(() -> deleted(records).size() == 6);
            deleteAt(incident, ids.get(6), "07:01:00");
            await().atMost(Duration.ofSeconds(15)).until(() -> deleted(records).size() == 7);
            awaitFreshPoll(engine, "dev", "incident");
            awaitFreshPoll(engine, "dev", "incident");

            assertThat(deleted(records)).as("each delete once").containsExactlyInAnyOrderElementsOf(ids.subList(0, 7));
        }
        try (FileOffsetStore store = new FileOffsetStore(dir)) {
            store.open();
            assertThat(store.read(new PositionKey("dev", "incident", "deletes")).orElseThrow().updatedOn())
                    .as("the deletes position left the hour once it was read safely").isEqualTo(at("07:01:00"));
        }
        assertOnlyUnambiguousLiteralsWereWritten();
    }

    @ParameterizedTest(name = "instance reads the {0} instant")
    @EnumSource(RepeatedHourReading.class)
    void reconciliationOfASpanStartingInsideTheRepeatedHourFindsAQuietChangeAndNothingElse(
            RepeatedHourReading reading) {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour-reconcile");
        for (String time : List.of("04:59:59", "05:20:00", "05:40:00", "05:50:00", "06:00:00")) {
            insertAt(incident, time);
        }
        String quiet = insertAt(incident, "06:20:00");
        for (String time : List.of("06:30:00", "06:40:00", "07:10:00")) {
            insertAt(incident, time);
        }
        clock.set(at("07:15:00"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Passes reach 90 minutes back from the cursor (07:10 UTC) to 05:40 UTC, local 01:40 EDT, which repeats.
        TableConfig table = table("incident", topic, 2)
                .withReconciliation(Duration.ofMillis(200), Duration.ofMinutes(90));

        EngineRuntime engine = new EngineRuntime(config(dir, instance(sim.baseUrl(), table)), null, Map.of(),
                null, null, Clock.systemUTC(), SourceTestSupport.FAST, registry);
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            awaitProduced(engine, 9);
            // Polls read the hour again until they left it; from then on only reconciliation can see the change.
            await().atMost(Duration.ofSeconds(15)).until(() -> at("07:10:00")
                    .equals(status(engine, "dev", "incident").position().updatedOn()));
            incident.updateKeepingUpdatedOn(quiet, Map.of("state", "7"));

            awaitProduced(engine, 10);
            long passes = reconciliationPasses();
            await().atMost(Duration.ofSeconds(15)).until(() -> reconciliationPasses() >= passes + 2);

            List<ConsumerRecord<byte[], byte[]>> sent = records.readToEnd();
            assertThat(sent).as("rows before 05:40 that the widened query also read are not sent again").hasSize(10);
            assertThat(TopicRecords.key(sent.get(9))).isEqualTo(quiet);
            assertThat(TopicRecords.value(sent.get(9)).at("/source/read_mode").asText()).isEqualTo("reconcile");
            assertThat(registry.get("bridge.reconciliation.differences").tag("kind", "changed").counter().count())
                    .isEqualTo(1);
        }
        assertOnlyUnambiguousLiteralsWereWritten();
    }

    @ParameterizedTest(name = "instance reads the {0} instant")
    @EnumSource(RepeatedHourReading.class)
    void backfillBoundedInsideTheRepeatedHourCopiesExactlyItsRows(RepeatedHourReading reading)
            throws InterruptedException {
        SimTable incident = start(reading);
        String topic = uniqueTopic("repeated-hour-backfill");
        kafka().createTopic(topic, 1);
        List<String> inside = new ArrayList<>();
        for (String time : List.of("04:59:59", "05:10:00", "05:30:00", "06:00:00", "06:29:59", "06:30:00",
                "06:50:00", "07:10:00")) {
            String sysId = insertAt(incident, time);
            if (time.compareTo("05:30:00") >= 0 && time.compareTo("06:30:00") < 0) {
                inside.add(sysId);
            }
        }
        // From local 01:30 EDT to 01:30 EST, both repeated local times.
        BackfillJob job = Backfills.create(config(dir, instance(sim.baseUrl(), table("incident", topic, 2))), "dev",
                "incident", at("05:30:00"), at("06:30:00"), "", null, null, null, Clock.systemUTC(),
                SourceTestSupport.FAST);
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(job.progress().state()).isEqualTo(BackfillProgress.State.COMPLETED);
            assertThat(records.awaitAtLeast(inside.size())).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(inside);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
        assertOnlyUnambiguousLiteralsWereWritten();
    }

    private static TopicRecords startAndRead(EngineRuntime engine, String topic) {
        engine.start();
        return new TopicRecords(kafka().bootstrapServers(), topic);
    }

    private static void awaitProduced(EngineRuntime engine, long count) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> status(engine, "dev", "incident").recordsProduced() == count);
    }

    /** Reconciliation passes started: each begins with a page of keys from the widened start of its span. */
    private long reconciliationPasses() {
        return decodedQueries().stream().filter(q -> q.contains("sysparm_fields=sys_id,sys_mod_count,sys_updated_on")
                && q.contains("sys_updated_on>=javascript:gs.dateGenerate('2026-11-01','00:59:59')")).count();
    }

    private void deleteAt(SimTable table, String sysId, String utcTime) {
        clock.set(at(utcTime));
        table.delete(sysId);
    }

    private static List<String> deleted(TopicRecords records) {
        return records.readToEnd().stream()
                .filter(r -> r.value() != null && "d".equals(TopicRecords.value(r).get("op").asText()))
                .map(TopicRecords::key).toList();
    }

    private static Set<String> sysIds(SimTable table) {
        return table.rows().stream().map(r -> r.get("sys_id")).collect(Collectors.toSet());
    }

    private List<String> decodedQueries() {
        return sim.requestLog().stream().map(r -> URLDecoder.decode(r.pathAndQuery(), StandardCharsets.UTF_8))
                .toList();
    }

    /** No query named a local time New York repeats, whose reading the instance does not document. */
    private void assertOnlyUnambiguousLiteralsWereWritten() {
        List<String> literals = new ArrayList<>();
        for (String query : decodedQueries()) {
            Matcher m = LOCAL_LITERAL.matcher(query);
            while (m.find()) {
                literals.add(m.group(1) + "T" + m.group(2));
            }
        }
        assertThat(literals).isNotEmpty().allSatisfy(local -> assertThat(NEW_YORK.getRules()
                .getValidOffsets(LocalDateTime.parse(local))).as(local).hasSize(1));
    }
}
