package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SinkTestSupport.awaitCommitted;
import static io.snkb.bridge.internal.SinkTestSupport.config;
import static io.snkb.bridge.internal.SinkTestSupport.groupOf;
import static io.snkb.bridge.internal.SinkTestSupport.producer;
import static io.snkb.bridge.internal.SinkTestSupport.sendAt;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.config.SinkTopicConfig.Conflict;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.bridge.spi.ConflictResolver;
import java.time.Clock;
import java.util.concurrent.CopyOnWriteArrayList;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each strategy on a row that changed in ServiceNow after the event was produced. */
class SinkConflictTest {
    private static final String EVENT = "{\"correlation_id\": \"c1\", \"short_description\": \"from kafka\","
            + " \"priority\": \"1\"}";
    private static final Instant AN_HOUR_AGO = Instant.now().minusSeconds(3600);

    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
    private final KafkaProducer<byte[], byte[]> producer = producer();
    private final SimTable incidents = sim.table("incident");
    private final String topic = uniqueTopic("conflict");
    private String sysId;
    private EngineRuntime engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        producer.close();
        sim.close();
    }

    @Test
    void kafkaWinsWritesTheEventOverTheNewerRow() {
        applyOldEvent(Conflict.KAFKA_WINS, List.of());

        assertThat(row()).containsEntry("short_description", "from kafka").containsEntry("priority", "1");
    }

    @Test
    void serviceNowWinsKeepsTheRow() {
        applyOldEvent(Conflict.SERVICENOW_WINS, List.of());

        assertThat(row()).containsEntry("short_description", "changed in servicenow").containsEntry("priority", "3");
    }

    @Test
    void serviceNowWinsForItsFieldsOnlyWritesTheOthers() {
        applyOldEvent(Conflict.SERVICENOW_WINS, List.of("priority"));

        assertThat(row()).containsEntry("short_description", "from kafka").containsEntry("priority", "3");
    }

    @Test
    void newestWinsKeepsTheNewerRowAndWritesANewerEvent() {
        applyOldEvent(Conflict.NEWEST_WINS, List.of());
        assertThat(row()).containsEntry("short_description", "changed in servicenow");

        sendAt(producer, topic, "c1", EVENT.replace("from kafka", "newer"), Instant.now().plusSeconds(60));
        awaitCommitted(groupOf(topic + ".dlq"), topic, 2);
        assertThat(row()).containsEntry("short_description", "newer");
    }

    @Test
    void aCustomResolverGivenToTheEngineDecidesWithBothVersions() {
        List<ConflictResolver.Conflict> asked = new CopyOnWriteArrayList<>();
        ConflictResolver onlyPriority = conflict -> {
            asked.add(conflict);
            return new ConflictResolver.Resolution(ConflictResolver.Decision.APPLY,
                    Map.of("priority", conflict.incoming().get("priority")), "priority comes from Kafka");
        };

        applyOldEvent(Conflict.CUSTOM, List.of(), onlyPriority);

        assertThat(row()).containsEntry("short_description", "changed in servicenow").containsEntry("priority", "1");
        assertThat(asked).singleElement().satisfies(c -> {
            assertThat(c.sysId()).isEqualTo(sysId);
            assertThat(c.current()).containsEntry("priority", "3");
            assertThat(c.incoming()).containsEntry("short_description", "from kafka");
            assertThat(c.eventTime()).isEqualTo(AN_HOUR_AGO.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        });
    }

    @Test
    void reviewWritesNothingAndSendsBothVersionsToTheReviewTopic() {
        applyOldEvent(Conflict.REVIEW, List.of());

        assertThat(row()).containsEntry("short_description", "changed in servicenow");
        List<ConsumerRecord<byte[], byte[]>> reviews;
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic + ".dlq.review")) {
            reviews = records.awaitAtLeast(1);
        }
        assertThat(reviews).hasSize(1);
        JsonNode review = TopicRecords.value(reviews.get(0));
        assertThat(TopicRecords.key(reviews.get(0))).isEqualTo(sysId);
        assertThat(review.path("table").asText()).isEqualTo("incident");
        assertThat(review.path("incoming").path("short_description").asText()).isEqualTo("from kafka");
        assertThat(review.path("current").path("short_description").asText()).isEqualTo("changed in servicenow");
        assertThat(review.path("reason").asText()).contains("review");
    }

    /**
     * Creates the row, changes it in ServiceNow, then has the sink apply an event stamped an hour before
     * that change; returns once the sink has handled it.
     */
    private void applyOldEvent(Conflict strategy, List<String> fields) {
        applyOldEvent(strategy, fields, null);
    }

    private void applyOldEvent(Conflict strategy, List<String> fields, ConflictResolver custom) {
        kafka().createTopic(topic, 1);
        sysId = incidents.insert(Map.of("correlation_id", "c1", "short_description", "changed in servicenow",
                "priority", "3")).get("sys_id");
        SinkTopicConfig mapping = new SinkTopicConfig(topic, "dev", "incident", Operation.UPSERT,
                List.of("correlation_id"), 2, strategy, fields);
        EngineRuntime engine = new EngineRuntime(config(offsets, instance(sim.baseUrl()), topic + ".dlq", mapping),
                null, Map.of(), custom, null, Clock.systemUTC(), SinkTestSupport.FAST);
        engine.start();
        sendAt(producer, topic, "c1", EVENT, AN_HOUR_AGO);
        this.engine = engine;
        awaitCommitted(groupOf(topic + ".dlq"), topic, 1);
    }

    private Map<String, String> row() {
        return incidents.get(sysId).orElseThrow();
    }
}
