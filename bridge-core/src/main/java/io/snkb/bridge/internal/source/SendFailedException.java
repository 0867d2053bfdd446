package io.snkb.bridge.internal.source;

/**
 * Kafka refused a record of a table, or it could not be handed to the producer. The table stops moving
 * forward and reads again from the last position Kafka fully acknowledged.
 */
final class SendFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
