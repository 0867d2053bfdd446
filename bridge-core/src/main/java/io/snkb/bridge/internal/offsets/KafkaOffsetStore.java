package io.snkb.bridge.internal.offsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.internal.kafka.TopicCreator;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.RetriableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps positions in a compacted Kafka topic, for deployments without a persistent disk: one record per
 * position, keyed by {@link PositionKey#asString()}, valued {@code {"updated_on": .., "sys_id": ..}}; a removed
 * position is a tombstone. {@link #open()} creates the topic (compacted) when missing and reads it to its end,
 * keeping the latest value per key.
 *
 * <p>Each {@link #write} is one Kafka transaction, committed before it returns: all of its positions become
 * visible to {@code read_committed} readers together, and none if it fails. The transactional id names the
 * store's owner ({@code engine}, or the backfill of one table), so a second process of the same owner fences
 * the first: its next write fails for good, and it stops rather than store positions behind the newer one's
 * back. Owners with different ids (the engine and a backfill) share a topic safely, each writing only its keys.
 *
 * <p>Thread-safe. The engine that opens it closes it.
 */
public final class KafkaOffsetStore implements OffsetStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaOffsetStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConfig kafka;
    private final String topic;
    private final String owner;
    private final Map<PositionKey, Position> positions = new ConcurrentHashMap<>();
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * @param topic the compacted topic
     * @param owner who writes through this store, unique among the processes sharing the topic, e.g.
     *              {@code engine}; letters, digits, {@code .}, {@code _} and {@code -}
     */
    public KafkaOffsetStore(KafkaConfig kafka, String topic, String owner) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    @Override
    public synchronized void open() {
        if (producer != null) {
            throw new IllegalStateException("Kafka offset store " + topic + " was already opened");
        }
        TopicCreator.ensureCompactedTopic(kafka, topic, OPEN_TIMEOUT);
        positions.putAll(load());
        KafkaProducer<byte[], byte[]> opened = new KafkaProducer<>(producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer());
        try {
            // Fences an earlier process of the same owner and aborts what it left open.
            opened.initTransactions();
        } catch (KafkaException e) {
            opened.close(Duration.ZERO);
            throw new IllegalStateException("Cannot open the offset store in topic " + topic + ": " + e, e);
        }
        producer = opened;
        LOG.info("Opened offset store in Kafka topic {} as {} with {} positions", topic, transactionalId(),
                positions.size());
    }

    @Override
    public Optional<Position> read(PositionKey key) {
        return Optional.ofNullable(positions.get(key));
    }

    @Override
    public synchronized void write(Map<PositionKey, Position> updates) {
        Map<PositionKey, byte[]> records = new LinkedHashMap<>();
        updates.forEach((key, position) -> records.put(key, serialize(position)));
        commit(records);
        positions.putAll(updates);
    }

    @Override
    public synchronized void remove(Collection<PositionKey> keys) {
        Map<PositionKey, byte[]> tombstones = new LinkedHashMap<>();
        keys.stream().filter(positions::containsKey).forEach(key -> tombstones.put(key, null));
        if (tombstones.isEmpty()) {
            return;
        }
        commit(tombstones);
        tombstones.keySet().forEach(positions::remove);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        producer = null;
    }

    @Override
    public String toString() {
        return "KafkaOffsetStore[" + topic + " as " + owner + "]";
    }

    private void commit(Map<PositionKey, byte[]> records) {
        if (producer == null) {
            throw new IllegalStateException("Kafka offset store " + topic + " is not open");
        }
        try {
            producer.beginTransaction();
            records.forEach((key, value) -> producer.send(
                    new ProducerRecord<>(topic, key.asString().getBytes(StandardCharsets.UTF_8), value)));
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException e) {
            throw new IllegalStateException("Positions can no longer be stored in topic " + topic + " as "
                    + transactionalId() + ": " + e.getMessage() + " (another process of the same owner took over?)", e);
        } catch (KafkaException e) {
            abortQuietly();
            throw new RetriableException("Cannot store positions in topic " + topic + ": " + e, e);
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            LOG.debug("Aborting the offset transaction failed too: {}", e.toString());
        }
    }

    private Map<PositionKey, Position> load() {
        Map<PositionKey, Position> loaded = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, OPEN_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, OPEN_TIMEOUT);
            long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading the positions in topic " + topic + " took longer than "
                            + OPEN_TIMEOUT.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> apply(loaded, record));
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("Cannot read the positions in topic " + topic + ": " + e, e);
        }
        return loaded;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void apply(Map<PositionKey, Position> loaded, ConsumerRecord<byte[], byte[]> record) {
        PositionKey key;
        try {
            key = PositionKey.parse(new String(record.key(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a record at offset {} of {} that is no position: {}", record.offset(), topic,
                    e.getMessage());
            return;
        }
        if (record.value() == null) {
            loaded.remove(key);
        } else {
            loaded.put(key, parse(record));
        }
    }

    private Position parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode value = MAPPER.readTree(record.value());
            return new Position(ServiceNowTime.parse(value.path("updated_on").asText()),
                    value.path("sys_id").asText());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Corrupt position at offset " + record.offset() + " of topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    private static byte[] serialize(Position position) {
        return MAPPER.createObjectNode().put("updated_on", ServiceNowTime.format(position.updatedOn()))
                .put("sys_id", position.sysId()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private String transactionalId() {
        return "snkb-offsets." + topic + "." + owner;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(kafka.properties());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "snkb-offsets-" + owner);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return properties;
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(kafka.properties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }
}
