package io.snkb.bridge.spi;

/**
 * Turns change events into the bytes of Kafka record values.
 *
 * <p>Called from the source pollers' threads, several at once: implementations must be thread-safe.
 * An exception thrown here is fatal for the table whose event it was, since skipping the event would
 * lose it; the table reports the error in its status.
 */
public interface Serializer {

    /** The value bytes for {@code event}. Called once per event. */
    byte[] serialize(ChangeEvent event);

    /** The MIME type of what {@link #serialize} produces, written to a record header. */
    String contentType();
}
