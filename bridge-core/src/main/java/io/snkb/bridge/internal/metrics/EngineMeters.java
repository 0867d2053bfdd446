package io.snkb.bridge.internal.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one engine in one registry. Every meter the engine registers goes through
 * {@link #track(Meter)}, so that {@link #close()} can take them out of a registry the host application
 * keeps using after the engine is gone (otherwise its gauges would report a dead engine forever).
 *
 * <p>Thread-safe. Does not own the registry: closing removes the engine's meters and leaves the registry
 * open.
 */
public final class EngineMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final Set<Meter> meters = ConcurrentHashMap.newKeySet();

    /** Meters in {@code registry}. */
    public EngineMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Meters nobody reads: a composite registry without members hands out no-op meters. */
    public static EngineMeters none() {
        return new EngineMeters(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The recorder of one source table. */
    public TableMetrics table(String instance, String table) {
        return new TableMetrics(this, instance, table);
    }

    /** The recorder of the sink for one topic. */
    public SinkMetrics sink(String instance, String table, String topic) {
        return new SinkMetrics(this, instance, table, topic);
    }

    /** The recorder of one instance's ServiceNow API calls. */
    public ApiMetrics api(String instance) {
        return new ApiMetrics(this, instance);
    }

    /** Remembers {@code meter} for removal at close; returns it. */
    <M extends Meter> M track(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Removes every meter this engine registered. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
