package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.bridge.internal.servicenow.RetrySettings;
import io.snkb.bridge.internal.sink.SinkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Configurations, engines and a producer for tests of the sink path. */
final class SinkTestSupport {
    /** Short waits so that retries and commits take milliseconds. */
    static final EngineOptions FAST = SourceTestSupport.FAST.withSink(new SinkSettings(
            new RetrySettings(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(3)),
            Duration.ofMillis(100), Duration.ofMillis(50), 2_000, Duration.ofSeconds(10), Duration.ofMillis(100)));

    private SinkTestSupport() {
    }

    static SinkTopicConfig mapping(String topic, String table, Operation operation, List<String> keyFields,
                                   int concurrency) {
        return new SinkTopicConfig(topic, "dev", table, operation, keyFields, concurrency);
    }

    /** A sink-only configuration: the instance has no source tables. */
    static BridgeConfig config(Path offsets, InstanceConfig instance, String dlqTopic, SinkTopicConfig... topics) {
        SinkConfig sink = new SinkConfig(true, groupOf(dlqTopic), dlqTopic, dlqTopic + ".review", List.of(topics));
        return SourceTestSupport.config(offsets, sink, instance);
    }

    static EngineRuntime runtime(BridgeConfig config) {
        return new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(), FAST);
    }

    static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) {
        send(producer, topic, key, value == null ? null : utf8(value), new RecordHeaders());
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value,
                     RecordHeaders headers) {
        try {
            producer.send(new ProducerRecord<>(topic, null, key == null ? null : utf8(key), value, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not take a test record", e);
        }
    }

    /** Sends a record stamped {@code timestamp}, the event time of a plain JSON record. */
    static void sendAt(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value,
                       Instant timestamp) {
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), utf8(key), utf8(value))).get();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not take a test record", e);
        }
    }

    /** Waits until the sink's group committed {@code count} records of single-partition {@code topic}. */
    static void awaitCommitted(String groupId, String topic, long count) {
        TopicPartition partition = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            OffsetAndMetadata committed = kafka().admin().listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return committed != null && committed.offset() >= count;
        });
    }

    /** Waits until the sink's group committed {@code total} records over all partitions of {@code topic}. */
    static void awaitCommittedInAllPartitions(String groupId, String topic, long total) {
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka().admin().listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum() >= total);
    }

    /** The consumer group of {@link #config}. */
    static String groupOf(String dlqTopic) {
        return "sink-" + dlqTopic;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
