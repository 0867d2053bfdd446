package io.snkb.testkit.kafka;

/**
 * Thrown when the embedded broker cannot be started, or a request made through it fails. The message says
 * what was attempted; the cause, when present, is Kafka's own error.
 */
public class EmbeddedKafkaException extends RuntimeException {

    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
