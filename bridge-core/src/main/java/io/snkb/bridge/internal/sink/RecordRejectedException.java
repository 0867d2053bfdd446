package io.snkb.bridge.internal.sink;

/**
 * A record that cannot be written as it is: undecodable, missing its key, naming an unknown field, or
 * refused by ServiceNow. Retrying does not help; the record goes to the dead letter topic.
 */
class RecordRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    RecordRejectedException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    RecordRejectedException(String message) {
        this(message, 0, null);
    }

    /** The HTTP status that refused it, or 0 when the record was refused before any request. */
    int httpStatus() {
        return httpStatus;
    }
}
