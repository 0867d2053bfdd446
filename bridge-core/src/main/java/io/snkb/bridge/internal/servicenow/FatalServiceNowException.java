package io.snkb.bridge.internal.servicenow;

/**
 * A failure that retrying cannot fix until the configuration or the instance changes: a bad request,
 * an unknown table, an ACL denial, credentials refused twice.
 */
public class FatalServiceNowException extends ServiceNowException {
    private static final long serialVersionUID = 1L;

    public FatalServiceNowException(String instance, String table, int httpStatus, String detail,
                                    Throwable cause) {
        super(instance, table, httpStatus, detail, cause);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
