package io.snkb.bridge;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.internal.Backfills;
import io.snkb.bridge.internal.EngineOptions;
import io.snkb.bridge.internal.source.BackfillJob;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Serializer;
import io.snkb.bridge.spi.TokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A one-off copy of one table of one instance into the table's topic, as read events ({@code op} {@code r},
 * {@code source.read_mode} {@code backfill}).
 *
 * <pre>{@code
 * try (Backfill backfill = Backfill.builder().config(config).instance("prod").table("incident").build()) {
 *     backfill.start();
 *     while (!backfill.awaitFinished(Duration.ofSeconds(1))) {
 *         log.info("{}", backfill.progress());
 *     }
 * }
 * }</pre>
 *
 * <p>Rows are read by {@code sys_id} keyset, never by offset, split into {@code source.backfill-concurrency}
 * disjoint {@code sys_id} ranges read at once. Each range's position is stored once Kafka acknowledged its
 * rows, in a store of the backfill's own, so a backfill can run while a {@link BridgeEngine} polls the same
 * table, and a backfill stopped or killed resumes where it was when it is run again with the same bounds
 * and query. A row changed while the backfill runs is copied in the version read; the engine's polling
 * delivers later versions.
 *
 * <p>Thread-safe: {@link #progress()} may be called from any thread. {@link #close()} stops a backfill still
 * running, waits for records in flight and stores the positions reached; it releases what the backfill owns,
 * including the SPIs passed to the builder.
 */
public final class Backfill implements AutoCloseable {
    private final BackfillJob job;
    private final Duration shutdownTimeout;

    private Backfill(BackfillJob job, Duration shutdownTimeout) {
        this.job = job;
        this.shutdownTimeout = shutdownTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the backfill's offset store, creates the topic when missing, counts the rows to copy and starts
     * reading. Throws {@link IllegalStateException} when called twice, or when the store is in use (the same
     * table is being backfilled elsewhere) or Kafka cannot be reached.
     */
    public void start() {
        job.start();
    }

    /** Records, rate, time left and state; see {@link BackfillProgress}. */
    public BackfillProgress progress() {
        return job.progress();
    }

    /** Waits until the backfill completed, failed or was stopped, at most {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return job.awaitFinished(timeout);
    }

    /** Stops and releases within the configured shutdown timeout. */
    @Override
    public void close() {
        close(shutdownTimeout);
    }

    /**
     * Stops reading, waits for records in flight and stores the positions reached, within {@code timeout}.
     * Returns {@code false} when the timeout ran out first; records not acknowledged then are copied again
     * by the next run.
     */
    public boolean close(Duration timeout) {
        return job.close(timeout);
    }

    /**
     * Assembles a backfill. {@link #config}, {@link #instance} and {@link #table} are required; the table
     * must be configured for the instance (its topic, fields, page size and query apply). Not thread-safe.
     */
    public static final class Builder {
        private BridgeConfig config;
        private String instance;
        private String table;
        private Instant from;
        private Instant to;
        private String query = "";
        private OffsetStore offsetStore;
        private TokenProvider tokenProvider;
        private Serializer serializer;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder config(BridgeConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The configured name of the instance to read. */
        public Builder instance(String instance) {
            this.instance = Objects.requireNonNull(instance, "instance");
            return this;
        }

        /** The table to copy. */
        public Builder table(String table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** Copies only rows with {@code sys_updated_on} at or after {@code from} (whole seconds, UTC). */
        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        /** Copies only rows with {@code sys_updated_on} before {@code to} (whole seconds, UTC). */
        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        /** An encoded query ANDed to the table's own, e.g. {@code active=true}; without ordering terms. */
        public Builder query(String query) {
            this.query = Objects.requireNonNull(query, "query");
            return this;
        }

        /**
         * Where the ranges' positions are kept; by default a file store of the backfill's own under
         * {@code offsets.directory}. Never pass the engine's store instance: each opens and closes its own.
         */
        public Builder offsetStore(OffsetStore offsetStore) {
            this.offsetStore = Objects.requireNonNull(offsetStore, "offsetStore");
            return this;
        }

        /** Credentials for the instance; by default its {@code auth} section. */
        public Builder tokenProvider(TokenProvider provider) {
            this.tokenProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** How events become Kafka values; by default JSON in the Debezium envelope. */
        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /** The clock for event times; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the backfill without starting it. Throws {@link IllegalStateException} when a required value
         * is missing, {@link IllegalArgumentException} when the instance or table is not configured, the bounds
         * are reversed or the query sets an ordering.
         */
        public Backfill build() {
            if (config == null || instance == null || table == null) {
                throw new IllegalStateException("Backfill.builder(): config, instance and table are required");
            }
            return new Backfill(Backfills.create(config, instance, table, from, to, query, offsetStore,
                    tokenProvider, serializer, clock, EngineOptions.DEFAULT), config.shutdownTimeout());
        }
    }
}
