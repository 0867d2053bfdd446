package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.FatalServiceNowException;

/**
 * The serializer could not turn an event into bytes. Fatal for the table: the event cannot be skipped
 * without losing it.
 */
final class SerializerFailedException extends FatalServiceNowException {
    private static final long serialVersionUID = 1L;

    SerializerFailedException(String instance, String table, String sysId, Throwable cause) {
        super(instance, table, 0, "the serializer failed on row " + sysId + ": " + cause, cause);
    }
}
