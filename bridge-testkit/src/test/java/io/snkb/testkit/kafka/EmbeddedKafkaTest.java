package io.snkb.testkit.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @Test
    void idempotentProducerRecordsComeBackWithKeysValuesAndHeaders() throws Exception {
        String topic = uniqueTopic("plain");
        kafka.createTopic(topic, 3);

        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            for (int i = 0; i < 10; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, "key-" + i, "value-" + i);
                record.headers().add("sys_id", ("id-" + i).getBytes(UTF_8));
                producer.send(record).get();
            }
        }

        List<ConsumerRecord<String, String>> records = consumeAll(kafka, topic, 10, Map.of());
        assertThat(records).extracting(ConsumerRecord::key)
            .containsExactlyInAnyOrder(numbered("key-", 10));
        assertThat(records).allSatisfy(record -> {
            String n = record.key().substring("key-".length());
            assertThat(record.value()).isEqualTo("value-" + n);
            Header header = record.headers().lastHeader("sys_id");
            assertThat(new String(header.value(), UTF_8)).isEqualTo("id-" + n);
        });
    }

    @Test
    void committedTransactionIsVisibleToReadCommittedConsumer() throws Exception {
        String topic = uniqueTopic("tx");
        kafka.createTopic(topic, 1);

        try (KafkaProducer<String, String> producer = producer(kafka,
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "1"));
            producer.send(new ProducerRecord<>(topic, "b", "2"));
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> records = consumeAll(kafka, topic, 2,
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
            .containsExactly(tuple("a", "1"), tuple("b", "2"));
    }

    @Test
    void compactedTopicKeepsTheLatestValuePerKeyAndTheTombstone() throws Exception {
        String topic = uniqueTopic("compacting");
        kafka.createCompactedTopic(topic, 1);

        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "incident-1", "v1")).get();
            producer.send(new ProducerRecord<>(topic, "incident-1", "v2")).get();
            producer.send(new ProducerRecord<>(topic, "incident-2", "v1")).get();
            producer.send(new ProducerRecord<>(topic, "incident-2", null)).get();

            // Only closed segments are cleaned, and a segment closes when a record arrives after segment.ms.
            List<String> incidentOne = List.of();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!incidentOne.equals(List.of("v2")) && System.nanoTime() < deadline) {
                producer.send(new ProducerRecord<>(topic, "filler", "roll")).get();
                incidentOne = valuesOf(readToEnd(topic), "incident-1");
            }
            assertThat(incidentOne).containsExactly("v2");
        }
        assertThat(valuesOf(readToEnd(topic), "incident-2")).containsExactly((String) null);
    }

    @Test
    void sharedBrokerIsStartedOnceAndReused() {
        assertThat(EmbeddedKafka.shared()).isSameAs(kafka);
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(kafka.isClosed()).isFalse();
    }

    @Test
    void brokerRestartedOnItsDataDirKeepsRecordsAndCloseKeepsTheGivenDir(@TempDir Path dataDir)
        throws Exception {
        String topic = "restart";
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            assertThat(first.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
            first.createTopic(topic, 1);
            try (KafkaProducer<String, String> producer = producer(first, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", "before restart")).get();
            }
            first.close();
            first.close();
            assertThat(first.isClosed()).isTrue();
        }
        assertThat(dataDir).isNotEmptyDirectory();

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            List<ConsumerRecord<String, String>> records = consumeAll(second, topic, 1, Map.of());
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("before restart");
        }
    }

    @Test
    void ownBrokerAppliesBuilderSettingsAndDeletesItsTemporaryDirOnClose() throws Exception {
        EmbeddedKafka own = EmbeddedKafka.builder()
            .autoCreateTopics(false)
            .brokerProperty("message.max.bytes", "2000000")
            .build().start();
        Path dataDir = own.dataDir();
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config config = own.admin().describeConfigs(List.of(broker)).all().get().get(broker);
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        assertThat(config.get("message.max.bytes").value()).isEqualTo("2000000");
        assertThat(dataDir).isDirectory();

        own.close();

        assertThat(dataDir).doesNotExist();
        assertThatThrownBy(own::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            EmbeddedKafka blocked = EmbeddedKafka.builder().port(taken.getLocalPort()).build();

            assertThatThrownBy(blocked::start)
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining("port " + taken.getLocalPort())
                .hasMessageContaining("already in use");
            assertThat(blocked.isClosed()).isTrue();
        }
    }

    /** Everything in partition 0 of {@code topic}, read without a group from the first to the last offset. */
    private List<ConsumerRecord<String, String>> readToEnd(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<String> valuesOf(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    private static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static String[] numbered(String prefix, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = prefix + i;
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka broker, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads from the beginning with a fresh group until {@code expected} records arrived. */
    private static List<ConsumerRecord<String, String>> consumeAll(
        EmbeddedKafka broker, String topic, int expected, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        config.putAll(extra);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s", topic).hasSize(expected);
        return records;
    }
}
