package io.snkb.bridge.internal.servicenow;

/**
 * The instance cancelled the request's transaction for running too long ("Transaction cancelled: maximum
 * execution time exceeded"), typically on a large page of wide rows. The same request would fail again, so it
 * is not retried as it is: the caller asks for a smaller page.
 */
public class TransactionCancelledException extends RetriableServiceNowException {
    private static final long serialVersionUID = 1L;
    static final String MARKER = "Transaction cancelled";

    public TransactionCancelledException(String instance, String table, int httpStatus, String detail) {
        super(instance, table, httpStatus, detail, null);
    }

    static boolean describes(String detail) {
        return detail != null && detail.contains(MARKER);
    }
}
