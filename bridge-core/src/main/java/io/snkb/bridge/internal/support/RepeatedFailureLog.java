package io.snkb.bridge.internal.support;

import org.slf4j.Logger;

/**
 * Logs a failure that keeps coming back without flooding the log: the first occurrence at WARN, the
 * following ones at DEBUG with a running count, and the recovery once at INFO.
 *
 * <p>Not thread-safe: each worker keeps its own.
 */
public final class RepeatedFailureLog {
    private final Logger log;
    private final String what;
    private long failures;

    /**
     * @param log  where to log
     * @param what what is failing, e.g. {@code polling} or {@code writing positions}
     */
    public RepeatedFailureLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Records one failure; {@code message} must not contain secrets. */
    public void failed(String message, Throwable cause) {
        failures++;
        if (failures == 1) {
            log.warn("{} failed, will retry: {}", what, message);
            log.debug("{} failure detail", what, cause);
        } else {
            log.debug("{} failed again ({} times in a row): {}", what, failures, message);
        }
    }

    /** Records a success; logs the recovery when failures came before it. */
    public void succeeded() {
        if (failures > 0) {
            log.info("{} recovered after {} failed attempt series", what, failures);
            failures = 0;
        }
    }

    /** How many failures in a row since the last success. */
    public long failuresInARow() {
        return failures;
    }
}
