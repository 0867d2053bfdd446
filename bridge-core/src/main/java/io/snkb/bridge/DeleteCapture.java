package io.snkb.bridge;

/** Whether a source table's deletes reach Kafka, part of {@link TableStatus} and {@link TableHealth}. */
public enum DeleteCapture {
    /** Deletes should be read, but {@code sys_audit_delete} was not read yet, so whether it can be is not known. */
    PENDING,
    /** Deletes are read from {@code sys_audit_delete} and sent as delete events. */
    CAPTURED,
    /** Deletes were switched off in the configuration. */
    DISABLED,
    /** Deletes should be read but {@code sys_audit_delete} cannot be: deletes do not reach Kafka. */
    NOT_CAPTURED
}
