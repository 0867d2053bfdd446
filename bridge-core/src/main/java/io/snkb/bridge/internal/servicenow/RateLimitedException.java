package io.snkb.bridge.internal.servicenow;

import java.time.Duration;

/**
 * The instance answered 429: a rate limit rule denies requests for {@link #retryAfter()}. Waiting that
 * long is the expected behaviour, not a failure, so it never counts against the retry budget.
 */
public class RateLimitedException extends RetriableServiceNowException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(String instance, String table, Duration retryAfter, String detail) {
        super(instance, table, 429, "rate limited, retry after " + retryAfter.toSeconds() + " s: " + detail, null);
        this.retryAfter = retryAfter;
    }

    /** How long the instance asked to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
