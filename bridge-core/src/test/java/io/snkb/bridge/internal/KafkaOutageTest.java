package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.runtime;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.EngineState;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.HttpConfig;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.config.OffsetsConfig;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.config.SourceConfig;
import io.snkb.bridge.config.TableConfig;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker goes away while a table is polled, and comes back on the same port and data: the table
 * shows the outage within seconds, not after a minute per row, and every row version changed meanwhile
 * reaches the topic once Kafka is back. A broker of its own, since the shared one cannot be stopped under
 * the other tests.
 */
class KafkaOutageTest {
    /** How soon an outage must show, with the producer's default settings: well under a minute. */
    private static final Duration SHOWS_WITHIN = Duration.ofSeconds(40);
    private static final int ROWS = 600;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageTest.class);

    @TempDir
    Path offsets;
    @TempDir
    Path kafkaData;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
    private EmbeddedKafka kafka;
    private int port;

    @AfterEach
    void stop() {
        sim.close();
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void brokerOutageShowsAsRetryingSoonAndEveryRowVersionArrivesOnceTheBrokerIsBack() {
        String topic = uniqueTopic("outage");
        SimTable incident = seeded();
        try (EngineRuntime engine = runtime(config(Map.of(), table("incident", topic, 500)))) {
            engine.start();
            changeRowsDuringAnOutage(engine, incident);
            // With the producer's defaults, depending on timing: it has fallen back to the bootstrap servers and
            // forgotten the topic, so a send blocks for its metadata and fails with Kafka's timeout; or it still
            // holds records for the broker and none of them is acknowledged.
            assertThat(status(engine, "dev", "incident").lastError())
                    .contains("'dev'", "'incident'", topic, "Kafka");
            assertThat(engine.health().table("dev", "incident").orElseThrow().ready()).isFalse();

            restartBroker();
            assertEveryRowVersionIsIn(topic, incident);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RUNNING);
        }
    }

    @Test
    void recordsHeldForAnUnreachableBrokerShowAsRetryingAndAStopMeanwhileLosesNothing() {
        String topic = uniqueTopic("held");
        SimTable incident = seeded();
        // A producer that keeps the topic's metadata holds the records for the broker until delivery.timeout.ms
        // (two minutes); the table must not look healthy meanwhile.
        BridgeConfig config = config(Map.of("metadata.recovery.strategy", "none"), table("incident", topic, 500));
        EngineRuntime engine = runtime(config);
        try (engine) {
            engine.start();
            changeRowsDuringAnOutage(engine, incident);
            assertThat(status(engine, "dev", "incident").lastError())
                    .contains("'dev'", "'incident'", topic, "Kafka");

            long closing = System.nanoTime();
            engine.close(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.STOPPED);
        }
        restartBroker();
        try (EngineRuntime again = runtime(config)) {
            again.start();
            assertEveryRowVersionIsIn(topic, incident);
            assertThat(status(again, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
        }
    }

    private SimTable seeded() {
        kafka = EmbeddedKafka.builder().dataDir(kafkaData).build().start();
        SimTable incident = sim.table("incident");
        for (int i = 0; i < ROWS; i++) {
            incident.insert(Map.of("short_description", "row " + i));
        }
        return incident;
    }

    /** Waits for the rows in Kafka, stops the broker, changes every row and waits for the table to tell. */
    private void changeRowsDuringAnOutage(EngineRuntime engine, SimTable incident) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status(engine, "dev", "incident").recordsProduced() == ROWS);
        port = kafka.port();
        kafka.close();
        long stoppedAt = System.nanoTime();
        for (Map<String, String> row : incident.rows()) {
            incident.update(row.get("sys_id"), Map.of("short_description", "changed while Kafka was down"));
        }
        await().atMost(SHOWS_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> status(engine, "dev", "incident").state() == EngineState.RETRYING);
        LOG.info("The outage showed after {} ms: {}", Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis(),
                status(engine, "dev", "incident").lastError());
    }

    /** The same broker again: its port and its data. */
    private void restartBroker() {
        kafka = EmbeddedKafka.builder().port(port).dataDir(kafkaData).build().start();
    }

    private void assertEveryRowVersionIsIn(String topic, SimTable incident) {
        Set<String> expected = incident.rows().stream()
                .map(r -> r.get("sys_id") + "@" + r.get("sys_mod_count")).collect(Collectors.toSet());
        assertThat(expected).hasSize(ROWS);
        try (TopicRecords records = new TopicRecords(kafka.bootstrapServers(), topic)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> versions(records.awaitAtLeast(0)).containsAll(expected));
        }
    }

    /** The row versions in {@code records}, as {@code sys_id@sys_mod_count}. */
    private static Set<String> versions(List<ConsumerRecord<byte[], byte[]>> all) {
        return all.stream().map(r -> TopicRecords.key(r) + "@" + TopicRecords.value(r).at("/after/sys_mod_count")
                .asText()).collect(Collectors.toSet());
    }

    private BridgeConfig config(Map<String, String> kafkaProperties, TableConfig table) {
        return new BridgeConfig(List.of(instance(sim.baseUrl(), table)),
                new KafkaConfig(kafka.bootstrapServers(), kafkaProperties),
                new SourceConfig(true, "snkb.{instance}.{table}"),
                new SinkConfig(false, "snkb-sink", "snkb.dlq", List.of()),
                new OffsetsConfig(OffsetsConfig.Type.FILE, offsets),
                new HttpConfig(false, "127.0.0.1", 0), Duration.ofSeconds(10));
    }
}
