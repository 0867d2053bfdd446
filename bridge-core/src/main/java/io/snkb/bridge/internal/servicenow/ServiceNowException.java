package io.snkb.bridge.internal.servicenow;

/**
 * A request to a ServiceNow instance failed. Subclasses tell whether trying again can help:
 * {@link RetriableServiceNowException} (5xx, 429, HTML pages, broken bodies, timeouts, I/O errors) or
 * {@link FatalServiceNowException} (400, 403, 404, refused credentials). Messages name the instance,
 * the table, the HTTP status and a short excerpt of the body, never credentials.
 */
public abstract class ServiceNowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String instance;
    private final String table;
    private final int httpStatus;
    private final String detail;

    protected ServiceNowException(String instance, String table, int httpStatus, String detail, Throwable cause) {
        super(describe(instance, table, httpStatus, detail), cause);
        this.instance = instance;
        this.table = table;
        this.httpStatus = httpStatus;
        this.detail = detail;
    }

    private static String describe(String instance, String table, int httpStatus, String detail) {
        String status = httpStatus > 0 ? "HTTP " + httpStatus + ": " : "";
        return "Instance '" + instance + "', table '" + table + "': " + status + detail;
    }

    public String instance() {
        return instance;
    }

    public String table() {
        return table;
    }

    /** The HTTP status, or 0 when no response came (timeouts, I/O errors). */
    public int httpStatus() {
        return httpStatus;
    }

    /** What went wrong, without the instance and table the message starts with. */
    public String detail() {
        return detail;
    }

    /** Whether the same request may succeed later. */
    public abstract boolean isRetriable();
}
