package io.snkb.bridge.internal.sink;

import io.snkb.bridge.DeadLetterHeaders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.spi.ConflictResolver;
import io.snkb.bridge.internal.kafka.EventProducer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records the sink cannot write to the dead letter topic: the original key, value bytes and
 * headers untouched, plus {@code snkb.dlq.*} headers that say where the record came from and why it
 * failed. {@link DeadLetterHeaders} names them. Conflicts left for review go out through the same producer.
 *
 * <p>Thread-safe. Owns its producer.
 */
final class DeadLetters implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Clock clock;

    DeadLetters(KafkaConfig kafka, String topic, Clock clock) {
        Map<String, Object> properties = EventProducer.properties(kafka);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "snkb-sink-dlq");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.clock = clock;
    }

    String topic() {
        return topic;
    }

    /**
     * Sends {@code record} with the reason and waits up to {@code timeout} for Kafka's acknowledgement.
     * Throws {@link DeadLetterFailedException} when Kafka refused it or did not answer in time.
     */
    void send(ConsumerRecord<byte[], byte[]> record, Failure failure, Duration timeout) throws InterruptedException {
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(),
                headers(record, failure)));
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DeadLetterFailedException(describe(record) + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeadLetterFailedException(describe(record) + ": no acknowledgement within "
                    + timeout.toMillis() + " ms", e);
        }
    }

    private RecordHeaders headers(ConsumerRecord<byte[], byte[]> record, Failure failure) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header.key(), header.value());
        }
        add(headers, DeadLetterHeaders.TOPIC, record.topic());
        add(headers, DeadLetterHeaders.PARTITION, String.valueOf(record.partition()));
        add(headers, DeadLetterHeaders.OFFSET, String.valueOf(record.offset()));
        add(headers, DeadLetterHeaders.ERROR_CLASS, failure.errorClass());
        add(headers, DeadLetterHeaders.ERROR_MESSAGE, failure.message());
        add(headers, DeadLetterHeaders.HTTP_STATUS, String.valueOf(failure.httpStatus()));
        add(headers, DeadLetterHeaders.ATTEMPTS, String.valueOf(failure.attempts()));
        add(headers, DeadLetterHeaders.TIME, clock.instant().toString());
        return headers;
    }

    private static void add(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a conflict left for review to {@code reviewTopic}, keyed by the row's {@code sys_id}: one JSON
     * object with instance, table, sys_id, the reason, the event time and both versions of the row.
     */
    void review(String reviewTopic, ConflictResolver.Conflict conflict, String reason, Duration timeout)
            throws InterruptedException {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("instance", conflict.instance());
        review.put("table", conflict.table());
        review.put("sys_id", conflict.sysId());
        review.put("reason", reason);
        review.put("event_time", conflict.eventTime().toString());
        review.put("incoming", conflict.incoming());
        review.put("current", conflict.current());
        byte[] value;
        try {
            value = JSON.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a review as JSON", e);
        }
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(reviewTopic,
                conflict.sysId().getBytes(StandardCharsets.UTF_8), value));
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeadLetterFailedException("Review of " + conflict.table() + " row " + conflict.sysId()
                    + " not accepted by topic " + reviewTopic + ": " + e, e);
        }
    }

    private String describe(ConsumerRecord<?, ?> record) {
        return "Dead letter of " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + " not accepted by topic " + topic;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * Why a record could not be written.
     *
     * @param errorClass the failure's class name
     * @param message    what went wrong, naming instance and table
     * @param httpStatus the HTTP status, 0 when there was none
     * @param attempts   the requests made for the record
     */
    record Failure(String errorClass, String message, int httpStatus, int attempts) {
        static Failure of(Throwable e, int httpStatus, int attempts) {
            return new Failure(e.getClass().getName(), String.valueOf(e.getMessage()), httpStatus, attempts);
        }
    }

    /** Kafka did not take a dead letter: the record stays uncommitted. */
    static final class DeadLetterFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadLetterFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
