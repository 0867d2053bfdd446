package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.FAST;
import static io.snkb.bridge.internal.SourceTestSupport.awaitFreshPoll;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.runtime;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.BackfillProgress;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.OffsetsConfig;
import io.snkb.bridge.config.SourceConfig;
import io.snkb.bridge.internal.offsets.FileOffsetStore;
import io.snkb.bridge.internal.offsets.KafkaOffsetStore;
import io.snkb.bridge.internal.servicenow.FatalServiceNowException;
import io.snkb.bridge.internal.source.BackfillJob;
import io.snkb.bridge.internal.source.BackfillPlan;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillTest {
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

    @Test
    void backfillOfATableEmitsEveryRowOnceAsARead() throws InterruptedException {
        String topic = uniqueTopic("backfill");
        List<String> ids = seed(sim.table("incident"), 250);
        BridgeConfig config = config(topic, 30, 4);

        BackfillJob job = job(config, null, null, "");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            BackfillProgress done = job.progress();
            assertThat(done.state()).isEqualTo(BackfillProgress.State.COMPLETED);
            assertThat(done.expected()).isEqualTo(250);
            assertThat(done.acknowledged()).isEqualTo(250);
            assertThat(done.rangesDone()).isEqualTo(4);

            List<ConsumerRecord<byte[], byte[]>> received = records.awaitAtLeast(250);
            assertThat(received).extracting(TopicRecords::key).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(received).allSatisfy(r -> {
                assertThat(TopicRecords.value(r).get("op").asText()).isEqualTo("r");
                assertThat(TopicRecords.value(r).at("/source/read_mode").asText()).isEqualTo("backfill");
                assertThat(TopicRecords.header(r, "snkb.op")).isEqualTo("r");
            });
        } finally {
            job.close(Duration.ofSeconds(10));
        }
        assertThat(storedStreams(config)).as("a finished backfill forgets its positions").isEmpty();
    }

    @Test
    void aTableTheInstanceDoesNotHaveIsRefusedAtStartWithTheInstancesAnswer() {
        String topic = uniqueTopic("missing");
        kafka().createTopic(topic, 1);
        InstanceConfig instance = instance(sim.baseUrl(), table("u_missing", topic, 10));
        BridgeConfig config = SourceTestSupport.config(offsets, instance);
        BackfillJob job = Backfills.create(config, "dev", "u_missing", null, null, "", null, null, null,
                Clock.systemUTC(), FAST);

        assertThatThrownBy(job::start).isInstanceOf(FatalServiceNowException.class)
                .hasMessageContaining("u_missing").hasMessageContaining("400");
        assertThat(job.progress().state()).isEqualTo(BackfillProgress.State.FAILED);
    }

    @Test
    void rangesAreReadByKeysetAndTogetherCoverTheTable() throws InterruptedException {
        String topic = uniqueTopic("ranges");
        List<String> ids = seed(sim.table("incident"), 120);
        BackfillJob job = job(config(topic, 25, 3), null, null, "");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(records.awaitAtLeast(120)).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
        List<String> queries = sim.requestLog().stream().map(RequestLogEntry::pathAndQuery)
                .filter(q -> q.contains("ORDERBYsys_id")).toList();
        assertThat(queries).isNotEmpty().noneMatch(q -> q.contains("sysparm_offset"));
        assertThat(queries).anyMatch(q -> q.contains("sys_id%3C55")).anyMatch(q -> q.contains("sys_id%3E%3D55"))
                .anyMatch(q -> q.contains("sys_id%3E%3Daa"));
    }

    @Test
    void pagesHiddenWhollyByRowLevelAclsDoNotEndARangeAndAreCountedAsHidden() throws InterruptedException {
        String topic = uniqueTopic("hidden");
        SimTable incident = sim.table("incident");
        List<String> visible = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean open = i % 10 == 0;
            String id = incident.insert(Map.of("short_description", open ? "open" : "secret", "active", "true"))
                    .get("sys_id");
            if (open) {
                visible.add(id);
            }
        }
        sim.faults().hideRows("*", "incident", "short_description=secret");

        BackfillJob job = job(config(topic, 7, 4), null, null, "");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            BackfillProgress done = job.progress();
            assertThat(done.state()).isEqualTo(BackfillProgress.State.COMPLETED);
            assertThat(done.expected()).as("the instance counts rows before ACLs").isEqualTo(400);
            assertThat(done.acknowledged()).isEqualTo(40);
            assertThat(done.hidden()).as("rows of wholly hidden pages stepped over").isBetween(7L, 360L);
            assertThat(records.awaitAtLeast(40)).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(visible);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void fromToAndQuerySelectTheRowsCopied() throws InterruptedException {
        String topic = uniqueTopic("bounded");
        SimTable incident = sim.table("incident");
        seed(incident, 10);
        SIM_CLOCK.advance(Duration.ofMinutes(1));
        Instant from = SIM_CLOCK.instant();
        List<String> inside = seed(incident, 20);
        String closed = incident.insert(Map.of("short_description", "closed", "active", "false")).get("sys_id");
        SIM_CLOCK.advance(Duration.ofMinutes(1));
        Instant to = SIM_CLOCK.instant();
        seed(incident, 10);

        BackfillJob job = job(config(topic, 7, 2), from, to, "active=true");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(job.progress().expected()).isEqualTo(20);
            assertThat(records.awaitAtLeast(20)).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(inside).doesNotContain(closed);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void boundsWithAFractionOfASecondSelectTheWholeSecondsTheyAdmit() throws InterruptedException {
        String topic = uniqueTopic("fraction");
        SimTable incident = sim.table("incident");
        seed(incident, 3);
        SIM_CLOCK.advance(Duration.ofSeconds(1));
        Instant second = SIM_CLOCK.instant();
        List<String> inside = seed(incident, 4);
        SIM_CLOCK.advance(Duration.ofSeconds(1));
        seed(incident, 2);

        // Rows are stamped in whole seconds: from 0.5 s before the second admits it, the one before does not;
        // to 0.5 s after its start admits the second, the one after does not.
        BackfillJob job = job(config(topic, 10, 2), second.minusMillis(500), second.plusMillis(500), "");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(job.progress().acknowledged()).isEqualTo(4);
            assertThat(records.awaitAtLeast(4)).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(inside);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
        assertThatThrownBy(() -> new BackfillPlan("dev", table("incident", topic, 10), second.plusMillis(200),
                second.plusMillis(900), "", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No sys_updated_on lies between").hasMessageContaining("whole seconds");
    }

    @Test
    void pagesTheInstanceCancelsAsTooLongAreReadInHalves() throws InterruptedException {
        String topic = uniqueTopic("cancelled");
        List<String> ids = seed(sim.table("incident"), 120);
        sim.faults().maxPageSize(30);

        BackfillJob job = job(config(topic, 100, 2), null, null, "");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(job.progress().state()).isEqualTo(BackfillProgress.State.COMPLETED);
            assertThat(records.awaitAtLeast(120)).extracting(TopicRecords::key).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
        List<String> pageSizes = sim.requestLog().stream().map(RequestLogEntry::pathAndQuery)
                .filter(q -> q.contains("ORDERBYsys_id")).map(q -> q.replaceAll(".*sysparm_limit=(\\d+).*", "$1"))
                .distinct().toList();
        assertThat(pageSizes).contains("100", "50", "25").doesNotContain("12");
    }

    @Test
    void stoppedBackfillResumesWithoutLosingRows() throws InterruptedException {
        String topic = uniqueTopic("resume");
        List<String> ids = seed(sim.table("incident"), 300);
        BridgeConfig config = config(topic, 10, 2);
        sim.faults().latency(Duration.ofMillis(15));

        BackfillJob first = job(config, null, null, "");
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.progress().acknowledged() >= 60);
        assertThat(first.close(Duration.ofSeconds(10))).isTrue();
        BackfillProgress stopped = first.progress();
        assertThat(stopped.state()).isEqualTo(BackfillProgress.State.STOPPED);
        assertThat(stopped.acknowledged()).isLessThan(300);
        assertThat(storedStreams(config)).hasSize(2);

        BackfillJob second = job(config, null, null, "");
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            second.start();
            assertThat(second.awaitFinished(Duration.ofSeconds(60))).isTrue();
            assertThat(second.progress().state()).isEqualTo(BackfillProgress.State.COMPLETED);
            assertThat(second.progress().expected()).isLessThanOrEqualTo(300 - stopped.acknowledged() + 20);

            List<ConsumerRecord<byte[], byte[]>> all = records.awaitAtLeast(300);
            assertThat(all.stream().map(TopicRecords::key).collect(Collectors.toSet()))
                    .as("no row lost").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(all.size()).as("the second run resumed rather than started over")
                    .isEqualTo(stopped.sent() + second.progress().sent())
                    .isLessThan(300 + 20);
        } finally {
            second.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void backfillRunsBesideTheEnginePollingTheSameTable() throws InterruptedException {
        String topic = uniqueTopic("beside");
        List<String> ids = seed(sim.table("incident"), 80);
        BridgeConfig config = config(topic, 20, 2);

        EngineRuntime engine = runtime(config);
        BackfillJob job = job(config, null, null, "");
        try (engine; TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            engine.start();
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(job.progress().state()).isEqualTo(BackfillProgress.State.COMPLETED);
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);

            Map<String, List<String>> opsByKey = records.awaitAtLeast(160).stream().collect(Collectors.groupingBy(
                    TopicRecords::key, Collectors.mapping(r -> TopicRecords.header(r, "snkb.op"),
                            Collectors.toList())));
            assertThat(opsByKey.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(opsByKey.values()).allSatisfy(ops -> assertThat(ops).containsExactlyInAnyOrder("c", "r"));
        } finally {
            job.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void backfillAndEngineShareTheKafkaOffsetTopic() throws InterruptedException {
        String topic = uniqueTopic("kafka-store");
        List<String> ids = seed(sim.table("incident"), 60);
        BridgeConfig base = config(topic, 20, 2);
        String offsetTopic = uniqueTopic("offsets");
        BridgeConfig config = new BridgeConfig(base.instances(), base.kafka(), base.source(), base.sink(),
                new OffsetsConfig(OffsetsConfig.Type.KAFKA, offsets, offsetTopic), base.http(),
                base.shutdownTimeout());

        EngineRuntime engine = runtime(config);
        BackfillJob job = job(config, null, null, "");
        try (engine; TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            engine.start();
            job.start();
            assertThat(job.awaitFinished(Duration.ofSeconds(30))).isTrue();
            assertThat(job.progress().state()).isEqualTo(BackfillProgress.State.COMPLETED);
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
            assertThat(records.awaitAtLeast(120).stream().filter(r -> "r".equals(TopicRecords.header(r, "snkb.op")))
                    .map(TopicRecords::key)).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            job.close(Duration.ofSeconds(10));
        }
        try (KafkaOffsetStore store = new KafkaOffsetStore(config.kafka(), offsetTopic, "check")) {
            store.open();
            assertThat(store.read(PositionKey.records("dev", "incident"))).isPresent();
        }
    }

    /** A configuration with the table's topic created, three partitions, so acknowledgements interleave. */
    private BridgeConfig config(String topic, int pageSize, int concurrency) {
        kafka().createTopic(topic, 3);
        InstanceConfig instance = instance(sim.baseUrl(), table("incident", topic, pageSize));
        BridgeConfig base = SourceTestSupport.config(offsets, instance);
        return new BridgeConfig(base.instances(), base.kafka(), new SourceConfig(true, "x", concurrency),
                base.sink(), base.offsets(), base.http(), base.shutdownTimeout());
    }

    private static BackfillJob job(BridgeConfig config, Instant from, Instant to, String query) {
        return Backfills.create(config, "dev", "incident", from, to, query, null, null, null, Clock.systemUTC(),
                FAST);
    }

    private Set<String> storedStreams(BridgeConfig config) {
        Path directory = io.snkb.bridge.internal.offsets.OffsetStores.backfillDirectory(config, "dev", "incident");
        try (FileOffsetStore store = new FileOffsetStore(directory)) {
            store.open();
            return positionKeys(directory).stream().filter(k -> store.read(k).isPresent())
                    .map(PositionKey::stream).collect(Collectors.toSet());
        }
    }

    private static List<PositionKey> positionKeys(Path directory) {
        try {
            String json = Files.readString(directory.resolve("positions.json"));
            List<PositionKey> keys = new ArrayList<>();
            var matcher = java.util.regex.Pattern.compile("\"(dev/incident/[^\"]+)\"").matcher(json);
            while (matcher.find()) {
                keys.add(PositionKey.parse(matcher.group(1)));
            }
            return keys;
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static List<String> seed(SimTable table, int count) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(table.insert(Map.of("short_description", "row " + i, "active", "true")));
        }
        return rows.stream().map(r -> r.get("sys_id")).map(Function.identity()).toList();
    }
}
