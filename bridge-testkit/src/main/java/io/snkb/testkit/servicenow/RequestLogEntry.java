package io.snkb.testkit.servicenow;

/**
 * One request the simulator answered, for assertions in tests.
 *
 * @param method the HTTP method
 * @param pathAndQuery the request path with its raw (still encoded) query string, if any
 * @param status the status answered
 * @param user the authenticated user, or null when the request was not authenticated
 * @param receivedNanos {@link System#nanoTime()} when the request arrived, for checking waits between requests
 */
public record RequestLogEntry(String method, String pathAndQuery, int status, String user, long receivedNanos) {

    /** An entry received now. */
    public RequestLogEntry(String method, String pathAndQuery, int status, String user) {
        this(method, pathAndQuery, status, user, System.nanoTime());
    }
}
