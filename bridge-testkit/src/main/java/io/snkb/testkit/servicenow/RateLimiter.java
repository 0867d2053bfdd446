package io.snkb.testkit.servicenow;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A per-user request quota over fixed windows aligned to the epoch (an hourly rule resets on the hour, as
 * ServiceNow's do). Thread-safe.
 */
final class RateLimiter {

    /** The {@code X-RateLimit-Rule} header: the sys_id of the simulated rule. */
    static final String RULE_ID = "5f0b2c1e1b3a20104a1b2c3d4e5f6a7b";

    private final int limit;
    private final long windowSeconds;
    private final Clock clock;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowSeconds = Math.max(1, window.getSeconds());
        this.clock = clock;
    }

    /** Counts one request of {@code user} and says whether it is allowed. */
    Decision acquire(String user) {
        long now = clock.instant().getEpochSecond();
        long start = now - Math.floorMod(now, windowSeconds);
        long[] state = windows.compute(user, (u, s) -> s == null || s[0] != start ? new long[] {start, 1}
                : new long[] {start, s[1] + 1});
        long reset = start + windowSeconds;
        return new Decision(state[1] <= limit, limit, reset, Math.max(1, reset - now));
    }

    record Decision(boolean allowed, int limit, long resetEpochSecond, long retryAfterSeconds) {

        void addHeaders(Reply reply) {
            reply.header("X-RateLimit-Limit", String.valueOf(limit));
            reply.header("X-RateLimit-Reset", String.valueOf(resetEpochSecond));
            reply.header("X-RateLimit-Rule", RULE_ID);
        }
    }
}
