package io.snkb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic of change events from the beginning and keeps the latest state per key, as a compacted
 * topic's reader would see it: a delete or a tombstone removes the key. Not thread-safe.
 */
final class TopicSnapshot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Map<String, String>> latest = new HashMap<>();
    private final Map<String, Long> countsByOp = new TreeMap<>();
    private long events;
    private long tombstones;
    private boolean assigned;

    TopicSnapshot(String bootstrapServers, String topic) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads what arrived, waiting at most {@code wait}. */
    void poll(Duration wait) {
        if (!assignIfTopicExists()) {
            sleep(wait);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            apply(new String(record.key(), StandardCharsets.UTF_8), record.value());
        }
    }

    Map<String, Map<String, String>> latest() {
        return latest;
    }

    Map<String, Long> countsByOp() {
        return countsByOp;
    }

    /** Tombstones read: records with a key and no value, which follow delete events. */
    long tombstones() {
        return tombstones;
    }

    long events() {
        return events;
    }

    private boolean assignIfTopicExists() {
        if (!assigned) {
            var partitions = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
            if (partitions == null || partitions.isEmpty()) {
                return false;
            }
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            assigned = true;
        }
        return true;
    }

    private void apply(String key, byte[] value) {
        if (value == null) {
            tombstones++;
            latest.remove(key);
            return;
        }
        JsonNode event = parse(value);
        String op = event.path("op").asText("?");
        countsByOp.merge(op, 1L, Long::sum);
        events++;
        JsonNode after = event.get("after");
        if (after == null || after.isNull()) {
            latest.remove(key);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        after.fields().forEachRemaining(
                f -> fields.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        latest.put(key, fields);
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("A record of the demo topic is not JSON", e);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
