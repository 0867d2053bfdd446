package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SinkTestSupport.config;
import static io.snkb.bridge.internal.SinkTestSupport.mapping;
import static io.snkb.bridge.internal.SinkTestSupport.producer;
import static io.snkb.bridge.internal.SinkTestSupport.runtime;
import static io.snkb.bridge.internal.SinkTestSupport.send;
import static io.snkb.bridge.internal.SinkTestSupport.utf8;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.DeadLetterHeaders;
import io.snkb.bridge.DeadLetterReplay;
import io.snkb.bridge.EngineHealth;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.SinkTopicStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkPathTest {
    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
    private final KafkaProducer<byte[], byte[]> producer = producer();

    @AfterEach
    void stop() {
        producer.close();
        sim.close();
    }

    @Test
    void upsertsByBusinessKeyAndDeletesOnTombstone() {
        String topic = uniqueTopic("alerts");
        kafka().createTopic(topic, 2);
        SimTable incidents = sim.table("incident");
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), topic + ".dlq",
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 4)))) {
            engine.start();
            send(producer, topic, "a1", "{\"correlation_id\": \"a1\", \"short_description\": \"disk full\"}");
            send(producer, topic, "a1", "{\"correlation_id\": \"a1\", \"short_description\": \"disk fuller\","
                    + " \"priority\": 2, \"sys_mod_count\": \"77\"}");
            send(producer, topic, "b2", "{\"correlation_id\": \"b2\", \"short_description\": \"cpu\"}");
            send(producer, topic, "{\"correlation_id\": \"b2\"}", null);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(incidents.rows()).hasSize(1);
                assertThat(incidents.findBy("correlation_id", "a1")).get()
                        .satisfies(row -> assertThat(row).containsEntry("short_description", "disk fuller")
                                .containsEntry("priority", "2").containsEntry("sys_mod_count", "1"));
            });
            assertThat(incidents.writes()).filteredOn(r -> "b2".equals(r.get("correlation_id"))).hasSize(1);
            assertThat(engine.health().sinkEnabled()).isTrue();
            assertThat(engine.health().sinkAlive()).isTrue();
            engine.close(Duration.ofSeconds(10));
            assertThat(engine.health().sinkAlive()).isFalse();
            assertThat(engine.health().live()).isFalse();
        }
    }

    @Test
    void writesSnkbChangeEventsByTheirSysIdWithoutSystemFieldsAndDeletesOnOpD() {
        String topic = uniqueTopic("events");
        kafka().createTopic(topic, 1);
        SimTable target = sim.table("u_copy");
        String event = "{\"before\": null, \"after\": {\"sys_id\": \"0123456789abcdef0123456789abcdef\","
                + " \"short_description\": \"from elsewhere\", \"sys_updated_on\": \"2020-01-01 00:00:00\","
                + " \"sys_created_by\": \"someone\"}, \"source\": {\"connector\": \"snkb\", \"instance\": \"prod\","
                + " \"table\": \"incident\", \"ts_ms\": 1700000000000}, \"op\": \"c\", \"ts_ms\": 1700000000001}";
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), topic + ".dlq",
                mapping(topic, "u_copy", Operation.UPSERT, List.of(), 2)))) {
            engine.start();
            send(producer, topic, "0123456789abcdef0123456789abcdef", event);

            await().atMost(Duration.ofSeconds(15)).until(() -> target.size() == 1);
            assertThat(target.get("0123456789abcdef0123456789abcdef")).get().satisfies(row -> assertThat(row)
                    .containsEntry("short_description", "from elsewhere")
                    .containsEntry("sys_created_by", SourceTestSupport.USER)
                    .doesNotContainEntry("sys_updated_on", "2020-01-01 00:00:00"));

            send(producer, topic, "0123456789abcdef0123456789abcdef", "{\"before\": null, \"after\": null,"
                    + " \"source\": {\"connector\": \"snkb\", \"instance\": \"prod\", \"table\": \"incident\"},"
                    + " \"op\": \"d\", \"ts_ms\": 1700000000002}");
            await().atMost(Duration.ofSeconds(15)).until(() -> target.size() == 0);
        }
    }

    @Test
    void deleteEventsWhoseBusinessKeyIsOnlyInBeforeDeleteTheRowTheyName() {
        String topic = uniqueTopic("before");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        SimTable incidents = sim.table("incident");
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 4)))) {
            engine.start();
            send(producer, topic, "x", "{\"correlation_id\": \"gone\", \"short_description\": \"to delete\"}");
            send(producer, topic, "y", "{\"correlation_id\": \"kept\", \"short_description\": \"to keep\"}");
            // Another system's delete: keyed by its own id, the business key only in before, after null.
            send(producer, topic, "{\"id\": 7}", "{\"before\": {\"id\": 7, \"correlation_id\": \"gone\"},"
                    + " \"after\": null, \"source\": {\"connector\": \"postgresql\", \"table\": \"alerts\"},"
                    + " \"op\": \"d\", \"ts_ms\": 1700000000000}");
            SinkTestSupport.awaitCommitted(SinkTestSupport.groupOf(dlq), topic, 3);

            assertThat(incidents.rows()).extracting(row -> row.get("correlation_id")).containsExactly("kept");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                assertThat(records.readToEnd()).isEmpty();
            }
        }
    }

    @Test
    void deleteEventsNamingTheSysIdOnlyInBeforeAndTombstonesKeyedBySysIdBothDelete() {
        String topic = uniqueTopic("beforeid");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        SimTable copies = sim.table("u_copy");
        String first = copies.insert(Map.of("short_description", "one")).get("sys_id");
        String second = copies.insert(Map.of("short_description", "two")).get("sys_id");
        String third = copies.insert(Map.of("short_description", "three")).get("sys_id");
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "u_copy", Operation.UPSERT, List.of(), 2)))) {
            engine.start();
            // No key, no source and no after member at all: only before names the row.
            send(producer, topic, null, "{\"op\": \"d\", \"before\": {\"sys_id\": \"" + first + "\"}}");
            send(producer, topic, second, null);
            SinkTestSupport.awaitCommitted(SinkTestSupport.groupOf(dlq), topic, 2);

            assertThat(copies.rows()).extracting(row -> row.get("sys_id")).containsExactly(third);
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                assertThat(records.readToEnd()).isEmpty();
            }
        }
    }

    @Test
    void deadLettersEachBadRecordUntouchedWithTheReasonAndKeepsGoing() {
        String topic = uniqueTopic("bad");
        String badTable = uniqueTopic("badtable");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        kafka().createTopic(badTable, 1);
        SimTable incidents = sim.table("incident").columns("correlation_id", "short_description").strictColumns();
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", new byte[] {1, 2, 3});
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 4),
                mapping(badTable, "no_such_table", Operation.UPSERT, List.of("correlation_id"), 1)))) {
            engine.start();
            send(producer, topic, "k1", utf8("{not json"), headers);
            send(producer, topic, "k2", utf8("[1, 2]"), headers);
            send(producer, topic, "k3", utf8("{\"correlation_id\": \"c3\", \"u_bogus\": \"x\"}"), headers);
            send(producer, badTable, "k4", utf8("{\"correlation_id\": \"c4\"}"), headers);
            send(producer, topic, "k5", "{\"correlation_id\": \"c5\", \"short_description\": \"fine\"}");

            List<ConsumerRecord<byte[], byte[]>> dead;
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                dead = records.awaitAtLeast(4);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> incidents.findBy("correlation_id", "c5").isPresent());

            assertThat(dead).extracting(TopicRecords::key).containsExactlyInAnyOrder("k1", "k2", "k3", "k4");
            assertThat(dead).allSatisfy(r -> {
                assertThat(r.headers().lastHeader("trace-id").value()).containsExactly(1, 2, 3);
                assertThat(TopicRecords.header(r, DeadLetterHeaders.PARTITION)).isEqualTo("0");
                assertThat(TopicRecords.header(r, DeadLetterHeaders.TIME)).isNotBlank();
            });
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = new java.util.HashMap<>();
            dead.forEach(r -> byKey.put(TopicRecords.key(r), r));
            assertThat(byKey).extractingFromEntries(e -> e.getKey() + "@"
                    + TopicRecords.header(e.getValue(), DeadLetterHeaders.OFFSET))
                    .containsExactlyInAnyOrder("k1@0", "k2@1", "k3@2", "k4@0");
            assertThat(byKey.get("k1").value()).isEqualTo(utf8("{not json"));
            assertThat(TopicRecords.header(byKey.get("k1"), DeadLetterHeaders.ERROR_MESSAGE)).contains("not JSON");
            assertThat(TopicRecords.header(byKey.get("k1"), DeadLetterHeaders.TOPIC)).isEqualTo(topic);
            assertThat(byKey.get("k2").value()).isEqualTo(utf8("[1, 2]"));
            assertThat(TopicRecords.header(byKey.get("k2"), DeadLetterHeaders.ERROR_MESSAGE))
                    .contains("not an object");
            assertThat(TopicRecords.header(byKey.get("k3"), DeadLetterHeaders.ERROR_MESSAGE)).contains("u_bogus");
            assertThat(TopicRecords.header(byKey.get("k3"), DeadLetterHeaders.ATTEMPTS)).isEqualTo("2");
            assertThat(TopicRecords.header(byKey.get("k4"), DeadLetterHeaders.HTTP_STATUS)).isEqualTo("400");
            assertThat(TopicRecords.header(byKey.get("k4"), DeadLetterHeaders.TOPIC)).isEqualTo(badTable);
            assertThat(TopicRecords.header(byKey.get("k4"), DeadLetterHeaders.ERROR_CLASS)).endsWith("Exception");
        }
    }

    @Test
    void keyFieldTheTableLacksIsDeadLetteredInsteadOfOverwritingAnUnrelatedRow() {
        String topic = uniqueTopic("nokey");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        SimTable strict = sim.table("u_strict_rows").columns("u_name").strictColumns();
        strict.insert(Map.of("u_name", "unrelated one"));
        strict.insert(Map.of("u_name", "unrelated two"));
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "u_strict_rows", Operation.UPSERT, List.of("u_external_key"), 1)))) {
            engine.start();
            send(producer, topic, "k1", "{\"u_external_key\": \"e1\", \"u_name\": \"overwritten?\"}");

            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                ConsumerRecord<byte[], byte[]> dead = records.awaitAtLeast(1).get(0);
                assertThat(TopicRecords.header(dead, DeadLetterHeaders.ERROR_MESSAGE))
                        .contains("u_external_key", "u_strict_rows", "unknown field");
            }
            assertThat(strict.rows()).extracting(row -> row.get("u_name"))
                    .containsExactlyInAnyOrder("unrelated one", "unrelated two");
        }
    }

    @Test
    void refusedCredentialsHoldTheRecordWithAGrowingPauseInsteadOfARequestStorm() {
        String topic = uniqueTopic("refused");
        kafka().createTopic(topic, 1);
        try (EngineRuntime engine = runtime(config(offsets, instance("dev", sim.baseUrl(), "not-the-password"),
                topic + ".dlq", mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 4)))) {
            engine.start();
            send(producer, topic, "r1", "{\"correlation_id\": \"r1\", \"short_description\": \"held\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.requestCount() > 0);
            long first = sim.requestCount();

            // With a fixed pause of 100 ms this would be some 40 more attempts; doubling leaves a handful.
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(sim.requestCount() - first).isBetween(1L, 8L);
            assertThat(sim.table("incident").rows()).isEmpty();
        }
    }

    @Test
    void refusedCredentialsTurnTheEngineNotReadyNamingTheSinkTopicUntilTheyAreAcceptedAgain() {
        String topic = uniqueTopic("unready");
        kafka().createTopic(topic, 1);
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), topic + ".dlq",
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 2)))) {
            assertThat(engine.status().sinkTopic(topic)).get().extracting(SinkTopicStatus::state)
                    .isEqualTo(EngineState.NEW);
            engine.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.health().ready());
            sim.faults().apply("error=401");
            send(producer, topic, "u1", "{\"correlation_id\": \"u1\"}");

            await().atMost(Duration.ofSeconds(10)).until(() -> !engine.health().ready());
            EngineHealth health = engine.health();
            assertThat(health.live()).isTrue();
            assertThat(health.sinkTopic(topic)).get().satisfies(t -> {
                assertThat(t.instance()).isEqualTo("dev");
                assertThat(t.table()).isEqualTo("incident");
                assertThat(t.state()).isEqualTo(EngineState.RETRYING);
                assertThat(t.credentialsRefused()).isTrue();
                assertThat(t.lastError()).contains(topic + "-0@0", "Instance 'dev'", "HTTP 401")
                        .doesNotContain(SourceTestSupport.PASSWORD);
            });
            assertThat(engine.status().sinkTopic(topic)).get().extracting(SinkTopicStatus::state)
                    .isEqualTo(EngineState.RETRYING);

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(15)).until(() -> engine.health().ready());
            assertThat(sim.table("incident").findBy("correlation_id", "u1")).isPresent();
            assertThat(engine.status().sinkTopic(topic)).get().satisfies(t -> {
                assertThat(t.state()).isEqualTo(EngineState.RUNNING);
                assertThat(t.credentialsRefused()).isFalse();
            });
        }
    }

    @Test
    void replaySendsDeadLettersBackSoThatTheSinkWritesThemOnceTheCauseIsFixed() {
        String topic = uniqueTopic("replay");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        SimTable incidents = sim.table("incident").columns("correlation_id").strictColumns();
        BridgeConfig config = config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 2));
        try (EngineRuntime engine = runtime(config)) {
            engine.start();
            send(producer, topic, "r1", "{\"correlation_id\": \"r1\", \"u_team\": \"blue\"}");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                records.awaitAtLeast(1);
            }
            incidents.columns("u_team");

            DeadLetterReplay.Result result = DeadLetterReplay.replay(config, dlq, Duration.ofSeconds(30));

            assertThat(result.replayed()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    incidents.findBy("correlation_id", "r1")).get()
                    .satisfies(r -> assertThat(r).containsEntry("u_team", "blue")));
            assertThat(DeadLetterReplay.replay(config, dlq, Duration.ofSeconds(30)).replayed())
                    .as("a second replay sends nothing already replayed").isZero();
        }
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            ConsumerRecord<byte[], byte[]> replayed = records.awaitAtLeast(2).get(1);
            assertThat(replayed.headers().toArray()).noneMatch(h -> h.key().startsWith(DeadLetterHeaders.PREFIX));
        }
    }

    @Test
    void commitsNothingPastARecordTheDeadLetterTopicRefusesUntilItTakesIt() throws Exception {
        String topic = uniqueTopic("dlqdown");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        // Too small for any dead letter with its reason headers: Kafka refuses them.
        kafka().createTopic(dlq, 1, Map.of("max.message.bytes", "64"));
        SimTable incidents = sim.table("incident");
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 2)))) {
            engine.start();
            send(producer, topic, "bad", "[\"not an object\"]");
            send(producer, topic, "good", "{\"correlation_id\": \"g1\"}");
            await().atMost(Duration.ofSeconds(15)).until(() -> incidents.findBy("correlation_id", "g1").isPresent());
            // Several commit intervals pass without a commit past the refused dead letter.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> committed(topic) == 0);

            AlterConfigOp bigger = new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048576"),
                    AlterConfigOp.OpType.SET);
            kafka().admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, dlq),
                    List.of(bigger))).all().get();

            SinkTestSupport.awaitCommitted(SinkTestSupport.groupOf(dlq), topic, 2);
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                assertThat(records.awaitAtLeast(1)).extracting(TopicRecords::key).containsExactly("bad");
            }
        }
    }

    @Test
    void deadLettersAWriteServiceNowRefusesWith403AndWritesTheNext() {
        String topic = uniqueTopic("denied");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        sim.faults().error(403, 1);
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 1)))) {
            engine.start();
            send(producer, topic, "d1", "{\"correlation_id\": \"d1\"}");

            ConsumerRecord<byte[], byte[]> dead;
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                dead = records.awaitAtLeast(1).get(0);
            }
            assertThat(TopicRecords.key(dead)).isEqualTo("d1");
            assertThat(TopicRecords.header(dead, DeadLetterHeaders.HTTP_STATUS)).isEqualTo("403");
            assertThat(TopicRecords.header(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
            send(producer, topic, "d2", "{\"correlation_id\": \"d2\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.table("incident")
                    .findBy("correlation_id", "d2").isPresent());
        }
    }

    @Test
    void deadLettersARecordWhoseRetriesRanOutWithTheLastStatusAndAttempts() {
        String topic = uniqueTopic("exhausted");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        sim.faults().error(503, 1_000);
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 1)))) {
            engine.start();
            send(producer, topic, "e1", "{\"correlation_id\": \"e1\"}");

            ConsumerRecord<byte[], byte[]> dead;
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), dlq)) {
                dead = records.awaitAtLeast(1).get(0);
            }
            assertThat(TopicRecords.header(dead, DeadLetterHeaders.HTTP_STATUS)).isEqualTo("503");
            assertThat(Integer.parseInt(TopicRecords.header(dead, DeadLetterHeaders.ATTEMPTS))).isGreaterThan(2);
            assertThat(TopicRecords.header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("gave up after");
            SinkTestSupport.awaitCommitted(SinkTestSupport.groupOf(dlq), topic, 1);
        }
    }

    @Test
    void countsWrittenFailedAndDeadLetteredRecordsPerTopic() {
        String topic = uniqueTopic("metered");
        String dlq = topic + ".dlq";
        kafka().createTopic(topic, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BridgeConfig config = config(offsets, instance(sim.baseUrl()), dlq,
                mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 2));
        try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null,
                java.time.Clock.systemUTC(), SinkTestSupport.FAST, registry)) {
            engine.start();
            send(producer, topic, "m1", "{\"correlation_id\": \"m1\"}");
            send(producer, topic, "m1", "{\"correlation_id\": \"m1\", \"priority\": \"2\"}");
            send(producer, topic, "m2", "not json");
            SinkTestSupport.awaitCommitted(SinkTestSupport.groupOf(dlq), topic, 3);

            assertThat(count(registry, "bridge.sink.records.written", "created")).isEqualTo(1);
            assertThat(count(registry, "bridge.sink.records.written", "updated")).isEqualTo(1);
            assertThat(registry.get("bridge.sink.records.failed").tag("topic", topic).counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("bridge.sink.records.dead.lettered").tag("topic", topic).counter().count())
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry
                    .get("bridge.sink.consumer.lag").tag("topic", topic).tag("partition", "0").gauge().value())
                    .isZero());
        }
    }

    private static double count(SimpleMeterRegistry registry, String name, String operation) {
        return registry.get(name).tag("operation", operation).counter().count();
    }

    private long committed(String topic) throws Exception {
        var offsets = kafka().admin().listConsumerGroupOffsets(SinkTestSupport.groupOf(topic + ".dlq"))
                .partitionsToOffsetAndMetadata().get();
        var committed = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
        return committed == null ? 0 : committed.offset();
    }
}
