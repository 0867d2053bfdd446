package io.snkb.bridge.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the calls of one instance's ServiceNow client: request durations by method, endpoint kind and
 * status class, rate limits and the time spent waiting them out, and what became of credentials the
 * instance refused.
 *
 * <p>Thread-safe: one client serves every table of its instance.
 */
public final class ApiMetrics {
    /** Which ServiceNow API a request went to, the {@code endpoint} tag. */
    public enum Endpoint {
        TABLE, AUDIT, TOKEN, BATCH;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final EngineMeters meters;
    private final Tags tags;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ApiMetrics(EngineMeters meters, String instance) {
        this.meters = meters;
        this.tags = Tags.of("instance", instance);
    }

    /** Meters nobody reads, for clients built without an engine (tests, tools). */
    public static ApiMetrics none(String instance) {
        return EngineMeters.none().api(instance);
    }

    /**
     * One HTTP exchange took {@code duration}; {@code status} is its HTTP status, or 0 when no response came
     * (timeout, I/O error).
     */
    public void request(String method, Endpoint endpoint, int status, Duration duration) {
        String statusClass = status <= 0 ? "none" : (status / 100) + "xx";
        String key = method + ' ' + endpoint + ' ' + statusClass;
        requests.computeIfAbsent(key, k -> meters.track(Timer.builder("bridge.servicenow.requests")
                .description("ServiceNow API requests by method, endpoint kind and status class")
                .tags(tags).tag("method", method).tag("endpoint", endpoint.tag()).tag("status", statusClass)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters.registry()))).record(duration);
    }

    /** The instance answered 429; the wait that follows is counted from now on, so both meters appear together. */
    public void rateLimited() {
        counter("bridge.servicenow.rate.limited", null, null, null, "Requests the instance answered with 429")
                .increment();
        waitCounter();
    }

    /** A rate limit was waited out for {@code waited}. */
    public void rateLimitWaited(Duration waited) {
        waitCounter().increment(waited.toNanos() / 1e9);
    }

    private Counter waitCounter() {
        return counter("bridge.servicenow.rate.limit.wait", null, null, "seconds",
                "Time spent waiting out rate limits");
    }

    /** Why a token provider supplied a new credential, the {@code trigger} tag. */
    public enum RefreshTrigger {
        /** The credential neared the end of its lifetime and was replaced before it lapsed. */
        EXPIRY,
        /** The instance answered 401 to the credential. */
        REJECTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The token provider supplied a new credential for the reason given. */
    public void tokenRefreshed(RefreshTrigger trigger) {
        counter("bridge.servicenow.token.refreshes", "trigger", trigger.tag(), null,
                "New credentials obtained, before expiry or after a 401").increment();
    }

    /**
     * The token provider could not supply a credential: {@code refused} when the credentials themselves were
     * refused, otherwise a retriable failure (token endpoint down or slow).
     */
    public void tokenFailed(boolean refused) {
        counter("bridge.servicenow.token.failures", "kind", refused ? "refused" : "retriable", null,
                "Failures to obtain or renew a credential").increment();
    }

    private Counter counter(String name, String tag, String value, String baseUnit, String description) {
        return counters.computeIfAbsent(tag == null ? name : name + ' ' + value, k -> {
            Counter.Builder builder = Counter.builder(name).description(description).tags(tags);
            if (tag != null) {
                builder.tag(tag, value);
            }
            if (baseUnit != null) {
                builder.baseUnit(baseUnit);
            }
            return meters.track(builder.register(meters.registry()));
        });
    }
}
