package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SinkTestSupport.awaitCommitted;
import static io.snkb.bridge.internal.SinkTestSupport.mapping;
import static io.snkb.bridge.internal.SinkTestSupport.producer;
import static io.snkb.bridge.internal.SinkTestSupport.send;
import static io.snkb.bridge.internal.SourceTestSupport.awaitFreshPoll;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One table read into a topic and written from the same topic: each change travels once, without a loop. */
class TwoWaySyncTest {
    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
    private final KafkaProducer<byte[], byte[]> producer = producer();
    private final SimTable incidents = sim.table("incident");

    @AfterEach
    void stop() {
        producer.close();
        sim.close();
    }

    @Test
    void rowsTheSinkWritesFromAlertsComeOutOfTheSourceOnceAndChangeEventsItWritesDoNot() {
        String alerts = uniqueTopic("alerts");
        String changes = uniqueTopic("incident-changes");
        String mirrored = uniqueTopic("mirrored");
        kafka().createTopic(alerts, 1);
        kafka().createTopic(mirrored, 1);
        kafka().createTopic(changes, 1);
        String group = "alerts-" + alerts;
        SinkConfig sink = new SinkConfig(true, group, alerts + ".dlq", alerts + ".review",
                List.of(mapping(alerts, "incident", Operation.UPSERT, List.of("correlation_id"), 4),
                        mapping(mirrored, "incident", Operation.UPSERT, List.of(), 4)));
        BridgeConfig config = SourceTestSupport.config(offsets, sink,
                instance(sim.baseUrl(), table("incident", changes, 100)));

        try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(),
                SinkTestSupport.FAST);
             TopicRecords records = new TopicRecords(kafka().bootstrapServers(), changes)) {
            engine.start();
            send(producer, alerts, "a1", "{\"correlation_id\": \"a1\", \"short_description\": \"disk full\"}");
            // A change event of another instance's incident, mirrored into this one: already in Kafka.
            send(producer, mirrored, "0123456789abcdef0123456789abcdef", "{\"op\": \"c\", \"after\": {\"sys_id\": "
                    + "\"0123456789abcdef0123456789abcdef\", \"short_description\": \"mirrored\"}, \"source\": "
                    + "{\"instance\": \"other\", \"table\": \"incident\", \"ts_ms\": 1}}");
            awaitCommitted(group, alerts, 1);
            awaitCommitted(group, mirrored, 1);
            awaitFreshPoll(engine, "dev", "incident");
            awaitFreshPoll(engine, "dev", "incident");

            String alertRow = incidents.findBy("correlation_id", "a1").orElseThrow().get("sys_id");
            assertThat(incidents.get("0123456789abcdef0123456789abcdef")).isPresent();
            assertThat(records.readToEnd()).as("only the row created from the alert")
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly(alertRow);
        }
    }

    @Test
    void oneChangeOnEitherSideGivesOneEventAndOneWriteNotALoop() {
        String topic = uniqueTopic("twoway");
        kafka().createTopic(topic, 1);
        String group = "two-way-" + topic;
        SinkConfig sink = new SinkConfig(true, group, topic + ".dlq", topic + ".review",
                List.of(mapping(topic, "incident", Operation.UPSERT, List.of("correlation_id"), 4)));
        BridgeConfig config = SourceTestSupport.config(offsets, sink,
                instance(sim.baseUrl(), table("incident", topic, 100)));

        try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(),
                SinkTestSupport.FAST);
             TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            engine.start();
            // An external system sends one change into the topic.
            send(producer, topic, "x1", "{\"correlation_id\": \"x1\", \"short_description\": \"from outside\"}");
            awaitCommitted(group, topic, 1);
            awaitFreshPoll(engine, "dev", "incident");

            // Someone changes the row in ServiceNow.
            String sysId = incidents.findBy("correlation_id", "x1").orElseThrow().get("sys_id");
            incidents.update(sysId, Map.of("short_description", "edited in servicenow"));
            awaitFreshPoll(engine, "dev", "incident");
            awaitCommitted(group, topic, 2);
            awaitFreshPoll(engine, "dev", "incident");

            List<ConsumerRecord<byte[], byte[]>> all = records.readToEnd();
            // The external record, the row it created (news to Kafka: sys_id, number, stamps) and the edit;
            // the sink writes neither of the two events back into the table they came from.
            assertThat(all).as("the external record, the created row and the one ServiceNow edit").hasSize(3);
            assertThat(all.subList(1, 3)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsOnly(sysId);
            assertThat(incidents.writes()).as("the sink's create and the edit").hasSize(2);
            assertThat(incidents.get(sysId)).get()
                    .satisfies(r -> assertThat(r).containsEntry("short_description", "edited in servicenow"));
        }
    }
}
