package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.kafka;

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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        SinkConfig sink = new SinkConfig(true, "sink-" + dlqTopic, dlqTopic, List.of(topics));
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

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
