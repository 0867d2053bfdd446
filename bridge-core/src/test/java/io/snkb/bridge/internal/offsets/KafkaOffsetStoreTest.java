package io.snkb.bridge.internal.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.RetriableException;
import io.snkb.testkit.kafka.EmbeddedKafka;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class KafkaOffsetStoreTest {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final PositionKey INCIDENT = PositionKey.records("dev", "incident");
    private static final PositionKey PROBLEM = PositionKey.records("dev", "problem");
    private static final Position FIRST = new Position(Instant.parse("2024-03-05T07:00:00Z"), "a1");
    private static final Position SECOND = new Position(Instant.parse("2024-03-05T07:00:01Z"), "b2");
    private static final Position THIRD = new Position(Instant.parse("2024-03-05T07:00:02Z"), "c3");

    private final KafkaConfig kafka = new KafkaConfig(EmbeddedKafka.shared().bootstrapServers(), Map.of());
    private final String topic = "test-offsets-" + TOPICS.incrementAndGet() + "-" + System.nanoTime() % 100_000;

    @Test
    void latestPositionPerKeySurvivesARestart() {
        try (KafkaOffsetStore store = new KafkaOffsetStore(kafka, topic, "engine")) {
            store.open();
            assertThat(store.read(INCIDENT)).isEmpty();
            store.write(Map.of(INCIDENT, FIRST, PROBLEM, SECOND));
            store.write(Map.of(INCIDENT, THIRD));
        }
        try (KafkaOffsetStore store = new KafkaOffsetStore(kafka, topic, "engine")) {
            store.open();
            assertThat(store.read(INCIDENT)).contains(THIRD);
            assertThat(store.read(PROBLEM)).contains(SECOND);
        }
    }

    @Test
    void missingTopicIsCreatedCompacted() throws Exception {
        try (KafkaOffsetStore store = new KafkaOffsetStore(kafka, topic, "engine")) {
            store.open();
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(1);
        }
    }

    @Test
    void removedPositionsAreGoneAfterARestart() {
        try (KafkaOffsetStore store = new KafkaOffsetStore(kafka, topic, "backfill.dev.incident")) {
            store.open();
            store.write(Map.of(INCIDENT, FIRST, PROBLEM, SECOND));
            store.remove(List.of(INCIDENT));
            assertThat(store.read(INCIDENT)).isEmpty();
        }
        try (KafkaOffsetStore store = new KafkaOffsetStore(kafka, topic, "backfill.dev.incident")) {
            store.open();
            assertThat(store.read(INCIDENT)).isEmpty();
            assertThat(store.read(PROBLEM)).contains(SECOND);
        }
    }

    @Test
    void engineAndBackfillShareTheTopicWithTheirOwnKeys() {
        PositionKey backfill = new PositionKey("dev", "incident", "backfill.1a2b3c4d.1of2");
        try (KafkaOffsetStore engine = new KafkaOffsetStore(kafka, topic, "engine");
             KafkaOffsetStore filler = new KafkaOffsetStore(kafka, topic, "backfill.dev.incident")) {
            engine.open();
            filler.open();
            engine.write(Map.of(INCIDENT, FIRST));
            filler.write(Map.of(backfill, SECOND));
            engine.write(Map.of(INCIDENT, THIRD));
        }
        try (KafkaOffsetStore store = new KafkaOffsetStore(kafka, topic, "engine")) {
            store.open();
            assertThat(store.read(INCIDENT)).contains(THIRD);
            assertThat(store.read(backfill)).contains(SECOND);
        }
    }

    @Test
    void aSecondProcessOfTheSameOwnerFencesTheFirstForGood() {
        try (KafkaOffsetStore first = new KafkaOffsetStore(kafka, topic, "engine");
             KafkaOffsetStore second = new KafkaOffsetStore(kafka, topic, "engine")) {
            first.open();
            first.write(Map.of(INCIDENT, FIRST));
            second.open();

            assertThatThrownBy(() -> first.write(Map.of(INCIDENT, SECOND)))
                    .isInstanceOf(IllegalStateException.class).isNotInstanceOf(RetriableException.class)
                    .hasMessageContaining(topic);
            second.write(Map.of(INCIDENT, THIRD));
            assertThat(second.read(INCIDENT)).contains(THIRD);
        }
    }
}
