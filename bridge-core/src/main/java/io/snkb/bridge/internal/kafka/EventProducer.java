package io.snkb.bridge.internal.kafka;

import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.spi.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends change events to Kafka through one idempotent producer shared by all tables of an engine.
 *
 * <p>Records are keyed by {@code sys_id} (UTF-8), so all changes of a row land in one partition in order,
 * and carry the headers {@value #INSTANCE_HEADER}, {@value #TABLE_HEADER}, {@value #OP_HEADER} and
 * {@value #CONTENT_TYPE_HEADER}. Defaults favour durability ({@code acks=all}, idempotence) with a short
 * linger for batching; any property of the Kafka configuration overrides them.
 *
 * <p>A send blocks while the producer has no metadata for the topic, as when the brokers are unreachable,
 * for at most {@value #MAX_BLOCK_MS} ms rather than Kafka's default of a minute: a table stops reading at its
 * first refused record, so this bounds how long a Kafka outage goes unreported, and how long a poller's
 * thread is held.
 *
 * <p>Thread-safe, like the producer it wraps. Owned by the engine, which closes it.
 */
public final class EventProducer implements AutoCloseable {
    public static final String INSTANCE_HEADER = "snkb.instance";
    public static final String TABLE_HEADER = "snkb.table";
    public static final String OP_HEADER = "snkb.op";
    public static final String CONTENT_TYPE_HEADER = "content-type";

    /** The producer's {@code max.block.ms}; see the class comment. */
    static final String MAX_BLOCK_MS = "15000";

    private final Producer<byte[], byte[]> producer;

    public EventProducer(KafkaConfig config) {
        this.producer = new KafkaProducer<>(properties(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The producer settings: the defaults, then the configured bootstrap servers and properties. */
    public static Map<String, Object> properties(KafkaConfig config) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        // lz4 comes with kafka-clients and is pure Java where its native code is missing.
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "snkb-source");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.putAll(config.properties());
        properties.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        properties.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return properties;
    }

    /**
     * Hands one event to the producer; {@code callback} runs on the producer's I/O thread once Kafka
     * acknowledged or finally refused it, and must be quick. Blocks when the producer's buffer is full or the
     * topic's metadata is unknown, at most {@code max.block.ms}; the callback then reports the timeout.
     */
    public void send(String topic, ChangeEvent event, byte[] value, String contentType, Callback callback) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(INSTANCE_HEADER, utf8(event.source().instance()));
        headers.add(TABLE_HEADER, utf8(event.source().table()));
        headers.add(OP_HEADER, utf8(event.op().code()));
        headers.add(CONTENT_TYPE_HEADER, utf8(contentType));
        producer.send(new ProducerRecord<>(topic, null, utf8(event.sysId()), value, headers), callback);
    }

    /**
     * Hands the tombstone of row {@code sysId} to the producer: the same key, a {@code null} value, so that
     * compaction can drop the row's earlier events. Headers name the instance, the table and op {@code d}.
     */
    public void sendTombstone(String topic, ChangeEvent.SourceInfo source, String sysId, Callback callback) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(INSTANCE_HEADER, utf8(source.instance()));
        headers.add(TABLE_HEADER, utf8(source.table()));
        headers.add(OP_HEADER, utf8(ChangeEvent.Op.DELETE.code()));
        producer.send(new ProducerRecord<>(topic, null, utf8(sysId), null, headers), callback);
    }

    /** Closes the producer, waiting at most {@code timeout} for records still buffered. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
