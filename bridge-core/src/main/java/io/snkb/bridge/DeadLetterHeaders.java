package io.snkb.bridge;

/**
 * The headers the sink adds to a record it sends to the dead letter topic ({@code sink.dlq-topic}), next
 * to the record's own key, value and headers, which are kept as they were. Values are UTF-8 text.
 */
public final class DeadLetterHeaders {
    /** The topic the record was consumed from. */
    public static final String TOPIC = "snkb.dlq.topic";
    /** Its partition. */
    public static final String PARTITION = "snkb.dlq.partition";
    /** Its offset. */
    public static final String OFFSET = "snkb.dlq.offset";
    /** The class name of the failure. */
    public static final String ERROR_CLASS = "snkb.dlq.error.class";
    /** What went wrong, naming instance and table. */
    public static final String ERROR_MESSAGE = "snkb.dlq.error.message";
    /** The HTTP status ServiceNow answered, {@code 0} when the record failed before any answer. */
    public static final String HTTP_STATUS = "snkb.dlq.http.status";
    /** How many requests were made for the record. */
    public static final String ATTEMPTS = "snkb.dlq.attempts";
    /** When the record was dead-lettered, ISO-8601. */
    public static final String TIME = "snkb.dlq.time";
    /** The prefix of all of these. */
    public static final String PREFIX = "snkb.dlq.";

    private DeadLetterHeaders() {
    }
}
