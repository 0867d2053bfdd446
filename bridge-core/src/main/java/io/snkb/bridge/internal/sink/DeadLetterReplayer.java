package io.snkb.bridge.internal.sink;

import io.snkb.bridge.DeadLetterHeaders;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.internal.kafka.EventProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead letters back to the topics they came from, as they were before they failed: key, value and
 * headers without the {@code snkb.dlq.*} ones. The sink then consumes them like any record. Reads the dead
 * letter topic up to its end at the start, in a consumer group of its own whose offsets are committed only
 * after Kafka acknowledged what was sent, so a second replay sends only newer dead letters.
 *
 * <p>Not thread-safe; one replay at a time.
 */
public final class DeadLetterReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);

    private final KafkaConfig kafka;
    private final String groupId;

    public DeadLetterReplayer(KafkaConfig kafka, String groupId) {
        this.kafka = kafka;
        this.groupId = groupId;
    }

    /** What a replay did. */
    public record Result(long replayed, long skipped) {
    }

    /** Replays {@code fromTopic} up to its current end; throws {@link IllegalStateException} when Kafka fails. */
    public Result replay(String fromTopic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> producerProps = EventProducer.properties(kafka);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "snkb-dlq-replay");
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(SinkRunner.consumerProperties(kafka, groupId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(fromTopic, timeout).stream()
                    .map(p -> new TopicPartition(fromTopic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("The dead letter topic '" + fromTopic + "' does not exist on "
                        + kafka.bootstrapServers());
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long replayed = 0;
            long skipped = 0;
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Replay of " + fromTopic + " did not finish within "
                            + timeout.toSeconds() + " s; what was sent is committed");
                }
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String origin = header(record, DeadLetterHeaders.TOPIC);
                    if (origin == null) {
                        LOG.warn("{}-{}@{} has no {} header; not replayed", record.topic(), record.partition(),
                                record.offset(), DeadLetterHeaders.TOPIC);
                        skipped++;
                    } else {
                        sent.add(producer.send(new ProducerRecord<>(origin, null, record.key(), record.value(),
                                originalHeaders(record))));
                        replayed++;
                    }
                    done.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                awaitAll(sent, deadline);
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
            LOG.info("Replayed {} dead letters from {} ({} skipped)", replayed, fromTopic, skipped);
            return new Result(replayed, skipped);
        }
    }

    private static boolean reached(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static void awaitAll(List<Future<RecordMetadata>> sent, long deadline) {
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Replay interrupted; nothing more is committed", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take a replayed record: " + e, e);
        }
    }

    private static RecordHeaders originalHeaders(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        return headers;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
