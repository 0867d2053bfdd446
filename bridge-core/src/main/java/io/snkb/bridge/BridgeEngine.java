package io.snkb.bridge;

import io.micrometer.core.instrument.MeterRegistry;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.internal.EngineOptions;
import io.snkb.bridge.internal.EngineRuntime;
import io.snkb.bridge.spi.ConflictResolver;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Serializer;
import io.snkb.bridge.spi.TokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The bridge between ServiceNow tables and Kafka topics, embeddable in any JVM application.
 *
 * <pre>{@code
 * BridgeConfig config = ConfigLoader.load(Path.of("snkb.yaml"));
 * try (BridgeEngine engine = BridgeEngine.builder().config(config).build()) {
 *     engine.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns once every table has its own worker; work then happens on the engine's
 * threads. {@link #close()} stops polling, waits for records in flight to be acknowledged by Kafka,
 * stores the positions they reached, and releases everything the engine owns (including the SPIs passed
 * to the builder), bounded by the configured shutdown timeout.
 *
 * <p>Thread-safe: {@link #status()} may be called from any thread at any time.
 */
public final class BridgeEngine implements AutoCloseable {

    private final EngineRuntime runtime;

    private BridgeEngine(EngineRuntime runtime) {
        this.runtime = runtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the offset store and starts one worker per configured source table. Throws
     * {@link IllegalStateException} when called twice, and the offset store's exception when it cannot
     * be opened (for example because another process holds it).
     */
    public void start() {
        runtime.start();
    }

    /** A snapshot of the engine and of each table. */
    public EngineStatus status() {
        return runtime.status();
    }

    /**
     * A health check for liveness and readiness probes; see {@link EngineHealth}. May block up to two seconds
     * while Kafka is asked whether it answers; that answer is kept for five seconds.
     */
    public EngineHealth health() {
        return runtime.health();
    }

    /** Stops gracefully within the configured shutdown timeout. */
    @Override
    public void close() {
        runtime.close(runtime.shutdownTimeout());
    }

    /**
     * Stops gracefully within {@code timeout}: no new reads, in-flight records acknowledged, positions
     * stored. Returns {@code false} when the timeout ran out first; what was not acknowledged by then is
     * read again on the next start, so nothing is lost.
     */
    public boolean close(Duration timeout) {
        return runtime.close(timeout);
    }

    /**
     * Assembles an engine. Only {@link #config} is required; every SPI left out gets the default
     * implementation the configuration describes. Not thread-safe; {@link #build()} copies what was set,
     * so a builder may be reused.
     */
    public static final class Builder {
        private BridgeConfig config;
        private OffsetStore offsetStore;
        private final Map<String, TokenProvider> tokenProviders = new LinkedHashMap<>();
        private ConflictResolver conflictResolver;
        private Serializer serializer;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /** The configuration; required. */
        public Builder config(BridgeConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Where positions are kept; by default the store {@code offsets} configures. */
        public Builder offsetStore(OffsetStore offsetStore) {
            this.offsetStore = Objects.requireNonNull(offsetStore, "offsetStore");
            return this;
        }

        /** Credentials for the instance named {@code instance}; by default its {@code auth} section. */
        public Builder tokenProvider(String instance, TokenProvider provider) {
            tokenProviders.put(Objects.requireNonNull(instance, "instance"),
                    Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** How the sink settles conflicts on topics configured with {@code conflict: custom}. */
        public Builder conflictResolver(ConflictResolver resolver) {
            this.conflictResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** How change events become Kafka values; by default JSON in the Debezium envelope. */
        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /** The clock for event times, lag and backoff; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the engine's meters go (see {@code docs/metrics.md}); by default they are kept nowhere. The
         * registry stays the caller's: closing the engine removes its meters but does not close the registry.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Builds the engine without starting it. Throws {@link IllegalStateException} when no config was
         * given, or when a token provider names an instance the config does not have.
         */
        public BridgeEngine build() {
            if (config == null) {
                throw new IllegalStateException("BridgeEngine.builder(): config(...) is required");
            }
            for (String instance : tokenProviders.keySet()) {
                if (config.instance(instance).isEmpty()) {
                    throw new IllegalStateException("tokenProvider(\"" + instance
                            + "\", ...): no such instance in config");
                }
            }
            return new BridgeEngine(new EngineRuntime(config, offsetStore, Map.copyOf(tokenProviders),
                    conflictResolver, serializer, clock, EngineOptions.DEFAULT, meterRegistry));
        }
    }
}
