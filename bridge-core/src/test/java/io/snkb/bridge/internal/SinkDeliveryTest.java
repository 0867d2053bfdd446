package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SinkTestSupport.config;
import static io.snkb.bridge.internal.SinkTestSupport.mapping;
import static io.snkb.bridge.internal.SinkTestSupport.producer;
import static io.snkb.bridge.internal.SinkTestSupport.runtime;
import static io.snkb.bridge.internal.SinkTestSupport.send;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order per row, crashes, rate limits and error pages: what reaches ServiceNow, and how often. */
class SinkDeliveryTest {
    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0).threads(24)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
    private final KafkaProducer<byte[], byte[]> producer = producer();
    private final SimTable incidents = sim.table("incident");

    @AfterEach
    void stop() {
        producer.close();
        sim.close();
    }

    @Test
    void writesEveryKeyInOffsetOrderWithConcurrency16Over50Keys() {
        String topic = uniqueTopic("order");
        kafka().createTopic(topic, 4);
        sim.faults().recordLatency(Duration.ofMillis(2));
        sendSequences(topic, 50, 6);
        try (EngineRuntime engine = runtime(upsertConfig(topic, 16, instance(sim.baseUrl())))) {
            engine.start();
            awaitFinalSequences(50, 6);
        }
        Map<String, List<Integer>> seen = sequencesWritten();
        assertThat(seen).hasSize(50);
        seen.forEach((key, seqs) -> assertThat(seqs).as(key).containsExactly(0, 1, 2, 3, 4, 5));
        assertThat(incidents.rows()).hasSize(50);
    }

    @Test
    void writesAtMostConcurrencyRowsAtOnceAndLooksUpTheNextRowMeanwhile() {
        String topic = uniqueTopic("slots");
        kafka().createTopic(topic, 2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(incidents.insert(Map.of("u_seq", "0")).get("sys_id"));
        }
        // A write is answered no sooner than 200 ms after it arrived: its slot cannot send again before.
        sim.faults().writeLatency(Duration.ofMillis(200));
        ids.forEach(id -> send(producer, topic, id, "{\"sys_id\": \"" + id + "\", \"u_seq\": \"1\"}"));
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), topic + ".dlq",
                mapping(topic, "incident", Operation.UPSERT, List.of(), 2)))) {
            engine.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> incidents.rows().stream()
                    .allMatch(row -> "1".equals(row.get("u_seq"))));
        }
        long window = Duration.ofMillis(200).toNanos();
        List<long[]> writes = new ArrayList<>();
        List<long[]> rowsInProgress = new ArrayList<>();
        for (String id : ids) {
            long lookUp = received(id, "GET");
            long write = received(id, "PATCH");
            writes.add(new long[] {write, write + window});
            rowsInProgress.add(new long[] {lookUp, write + window});
        }
        assertThat(mostAtOnce(writes)).as("writes under way at once").isEqualTo(2);
        assertThat(mostAtOnce(rowsInProgress)).as("rows looked up or written at once, with one worker more")
                .isEqualTo(3);
    }

    private long received(String sysId, String method) {
        return sim.requestLog().stream().filter(e -> e.method().equals(method)
                && e.pathAndQuery().startsWith("/api/now/table/incident/" + sysId)).findFirst()
                .orElseThrow().receivedNanos();
    }

    /** The largest number of {@code [from, to)} spans that hold one instant. */
    private static long mostAtOnce(List<long[]> spans) {
        return spans.stream().mapToLong(span -> spans.stream()
                .filter(other -> other[0] <= span[0] && span[0] < other[1]).count()).max().orElse(0);
    }

    @Test
    void losesNothingAndCreatesNoDuplicateWhenKilledMidBatchAndRestarted() {
        String topic = uniqueTopic("crash");
        kafka().createTopic(topic, 2);
        sim.faults().recordLatency(Duration.ofMillis(20));
        sendSequences(topic, 30, 4);
        BridgeConfig config = upsertConfig(topic, 8, instance(sim.baseUrl()));
        EngineRuntime first = runtime(config);
        first.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> incidents.writes().size() >= 40);
        assertThat(first.close(Duration.ZERO)).as("in-flight writes were cut off").isFalse();
        int writtenBeforeRestart = incidents.writes().size();
        assertThat(writtenBeforeRestart).isLessThan(120);

        try (EngineRuntime second = runtime(config)) {
            second.start();
            awaitFinalSequences(30, 4);
        }
        assertThat(incidents.rows()).hasSize(30);
        assertThat(incidents.writes()).filteredOn(r -> "0".equals(r.get("sys_mod_count"))).hasSize(30);
    }

    @Test
    void insertsWithoutAnyKeyAreNotRepeatedWhenKilledAfterTheirCreatesAndRestarted() {
        String topic = uniqueTopic("keyless");
        kafka().createTopic(topic, 2);
        // Every write is applied, then answered 50 ms later: a stop in between loses the answer.
        sim.faults().writeLatency(Duration.ofMillis(50));
        for (int i = 0; i < 60; i++) {
            send(producer, topic, "{\"alert\": " + i + "}", "{\"short_description\": \"alert\", \"u_seq\": \"" + i
                    + "\"}");
        }
        BridgeConfig config = config(offsets, instance(sim.baseUrl()), topic + ".dlq",
                mapping(topic, "incident", Operation.INSERT, List.of(), 8));
        EngineRuntime first = runtime(config);
        first.start();
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(20)).until(() -> incidents.size() >= 16);
        assertThat(first.close(Duration.ZERO)).as("in-flight writes were cut off").isFalse();
        assertThat(incidents.size()).isLessThan(60);

        try (EngineRuntime second = runtime(config)) {
            second.start();
            SinkTestSupport.awaitCommittedInAllPartitions(SinkTestSupport.groupOf(topic + ".dlq"), topic, 60);
        }
        assertThat(incidents.rows()).hasSize(60).extracting(row -> row.get("u_seq")).doesNotHaveDuplicates();
        assertThat(incidents.rows()).extracting(row -> row.get("sys_id")).allMatch(id -> id.matches("[0-9a-f]{32}"));
        List<RequestLogEntry> creates = sim.requestLog().stream().filter(e -> e.method().equals("POST")).toList();
        assertThat(creates).as("records created before the stop were delivered again").hasSizeGreaterThan(60)
                .anyMatch(e -> e.status() == 403);
    }

    @Test
    void aRebalanceMidBatchLosesNothingAndCreatesNoDuplicate() {
        String topic = uniqueTopic("rebalance");
        kafka().createTopic(topic, 4);
        sim.faults().writeLatency(Duration.ofMillis(20));
        sendSequences(topic, 30, 4);
        BridgeConfig config = upsertConfig(topic, 4, instance(sim.baseUrl()));
        try (EngineRuntime first = runtime(config)) {
            first.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> incidents.writes().size() >= 20);
            BridgeConfig other = config(offsets.resolve("second"), instance(sim.baseUrl()), topic + ".dlq",
                    mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 4));
            try (EngineRuntime second = runtime(other)) {
                second.start();
                awaitFinalSequences(30, 4);
            }
        }
        assertThat(incidents.rows()).hasSize(30);
        assertThat(incidents.writes()).filteredOn(r -> "0".equals(r.get("sys_mod_count"))).hasSize(30);
    }

    @Test
    void findsTheRowInsteadOfCreatingASecondWhenTheAnswerToACreateIsLost() {
        String topic = uniqueTopic("lost");
        kafka().createTopic(topic, 1);
        AuthConfig auth = new AuthConfig(AuthConfig.Type.BASIC, SourceTestSupport.USER,
                Secret.of(SourceTestSupport.PASSWORD), null, null, null, null);
        InstanceConfig impatient = new InstanceConfig("dev", sim.baseUrl(), auth, Duration.ofSeconds(2),
                Duration.ofMillis(300), List.of());
        // The create is committed, then its answer takes longer than the client waits.
        sim.faults().apply("record-latency=1s:times=1:path=/api/now/table/incident");
        try (EngineRuntime engine = runtime(upsertConfig(topic, 1, impatient))) {
            engine.start();
            send(producer, topic, "k0", "{\"correlation_id\": \"k0\", \"u_seq\": \"0\"}");
            // The slow POST is logged when its answer leaves, after the look-up that followed the timeout.
            await().atMost(Duration.ofSeconds(15)).until(() -> sim.requestLog().size() >= 3);
        }
        assertThat(incidents.rows()).hasSize(1);
        assertThat(sim.requestLog()).extracting(RequestLogEntry::method)
                .containsExactlyInAnyOrder("GET", "POST", "GET");
    }

    @Test
    void writesEveryRecordThroughA429StormWaitingTheFullRetryAfterOnEveryThread() {
        String topic = uniqueTopic("storm");
        kafka().createTopic(topic, 2);
        ServiceNowSimulator limited = ServiceNowSimulator.builder().port(0).threads(16)
                .rateLimit(15, Duration.ofSeconds(1))
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
        try (limited; EngineRuntime engine = runtime(upsertConfig(topic, 8, instance(limited.baseUrl())))) {
            sendSequences(topic, 20, 1);
            engine.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> limited.table("incident").size() >= 20);
            assertThat(limited.table("incident").size()).isEqualTo(20);

            List<RequestLogEntry> log = limited.requestLog();
            List<RequestLogEntry> denied = log.stream().filter(e -> e.status() == 429).toList();
            assertThat(denied).isNotEmpty();
            for (RequestLogEntry rejection : denied) {
                long from = rejection.receivedNanos() + Duration.ofMillis(150).toNanos();
                long to = rejection.receivedNanos() + Duration.ofMillis(900).toNanos();
                assertThat(log).as("requests during the Retry-After of a 429")
                        .noneMatch(e -> e.receivedNanos() > from && e.receivedNanos() < to);
            }
        }
    }

    @Test
    void writesEveryRecordOnceThroughProxyErrorPages() {
        String topic = uniqueTopic("proxy");
        kafka().createTopic(topic, 2);
        sim.faults().proxy502Share(0.3, 7);
        sendSequences(topic, 25, 2);
        try (EngineRuntime engine = runtime(upsertConfig(topic, 8, instance(sim.baseUrl())))) {
            engine.start();
            awaitFinalSequences(25, 2);
        }
        assertThat(sim.requestLog()).anyMatch(e -> e.status() == 502);
        assertThat(incidents.rows()).hasSize(25);
    }

    private BridgeConfig upsertConfig(String topic, int concurrency, InstanceConfig instance) {
        return config(offsets, instance, topic + ".dlq",
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), concurrency));
    }

    /** Sends {@code rounds} values per key, round by round, so each key's records are spread over the topic. */
    private void sendSequences(String topic, int keys, int rounds) {
        for (int seq = 0; seq < rounds; seq++) {
            for (int k = 0; k < keys; k++) {
                String value = "{\"correlation_id\": \"key-" + k + "\", \"u_seq\": \"" + seq + "\"}";
                send(producer, topic, "key-" + k, value);
            }
        }
    }

    private void awaitFinalSequences(int keys, int rounds) {
        String last = String.valueOf(rounds - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> incidents.rows().size() == keys
                && incidents.rows().stream().allMatch(r -> last.equals(r.get("u_seq"))));
    }

    private Map<String, List<Integer>> sequencesWritten() {
        Map<String, List<Integer>> seen = new LinkedHashMap<>();
        for (Map<String, String> write : incidents.writes()) {
            seen.computeIfAbsent(write.get("correlation_id"), k -> new ArrayList<>())
                    .add(Integer.parseInt(write.get("u_seq")));
        }
        return seen;
    }
}
