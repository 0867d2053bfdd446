package io.snkb.bridge.internal.servicenow;

/**
 * A failure that may pass: the instance is busy, hibernating, behind a failing proxy, or the network
 * broke. The read is retried with backoff and never skipped.
 */
public class RetriableServiceNowException extends ServiceNowException {
    private static final long serialVersionUID = 1L;

    public RetriableServiceNowException(String instance, String table, int httpStatus, String detail,
                                        Throwable cause) {
        super(instance, table, httpStatus, detail, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
