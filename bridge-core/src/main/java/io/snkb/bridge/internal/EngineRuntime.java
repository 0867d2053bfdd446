package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.support.Shutdown.closeQuietly;
import static io.snkb.bridge.internal.support.Shutdown.remaining;

import io.micrometer.core.instrument.MeterRegistry;
import io.snkb.bridge.EngineHealth;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.EngineStatus;
import io.snkb.bridge.SinkTopicStatus;
import io.snkb.bridge.TableHealth;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.auth.BasicTokenProvider;
import io.snkb.bridge.internal.auth.OAuthTokenProvider;
import io.snkb.bridge.internal.auth.TokenProviders;
import io.snkb.bridge.internal.kafka.EventProducer;
import io.snkb.bridge.internal.kafka.KafkaProbe;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.internal.metrics.EngineMeters;
import io.snkb.bridge.internal.kafka.TopicCreator;
import io.snkb.bridge.internal.offsets.FileOffsetStore;
import io.snkb.bridge.internal.offsets.OffsetStores;
import io.snkb.bridge.internal.serde.DebeziumJsonSerializer;
import io.snkb.bridge.internal.servicenow.InstanceHttpClient;
import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.ServiceNowClient;
import io.snkb.bridge.internal.servicenow.SessionZone;
import io.snkb.bridge.internal.sink.Sink;
import io.snkb.bridge.internal.sink.SinkWrites;
import io.snkb.bridge.internal.source.PositionWriter;
import io.snkb.bridge.internal.source.TablePoller;
import io.snkb.bridge.internal.source.TableProgress;
import io.snkb.bridge.internal.support.StopSignal;
import io.snkb.bridge.spi.ConflictResolver;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.Serializer;
import io.snkb.bridge.spi.TokenProvider;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link io.snkb.bridge.BridgeEngine} runs: the source pollers with their Kafka producer, offset
 * store, ServiceNow clients and token providers, and the lifecycle that starts and stops them.
 *
 * <p>SPIs not given are built from the configuration: the offset store {@link OffsetStores#forEngine} picks
 * (a {@link FileOffsetStore} or a Kafka topic), a {@link BasicTokenProvider} or an {@link OAuthTokenProvider}
 * per instance, as its auth settings say, and a {@link DebeziumJsonSerializer}. Each instance has one HTTP
 * client ({@link InstanceHttpClient}: trust store, client certificate, proxy), shared by its table reads and
 * its token requests. When {@code sink.enabled} is set, a {@link Sink} writes the mapped topics into
 * ServiceNow with the same clients, so the source and the sink share each instance's rate limit.
 *
 * <p>Meters go to the registry given (see {@code docs/metrics.md}) and are removed from it at close;
 * {@link #health()} adds poller threads, refused credentials and a Kafka probe to the status.
 *
 * <p>Thread-safe: {@link #start()} and {@link #close(Duration)} exclude each other, {@link #close}
 * is idempotent and may be called from any thread, {@link #status()} never blocks, {@link #health()} only
 * for the Kafka probe. The runtime owns, and closes, everything passed to it, except the meter registry.
 */
public final class EngineRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRuntime.class);

    private final BridgeConfig config;
    private final OffsetStore givenStore;
    private final Map<String, TokenProvider> givenTokens;
    private final ConflictResolver conflictResolver;
    private final Serializer givenSerializer;
    private final Clock clock;
    private final EngineOptions options;
    private final EngineMeters meters;
    private final KafkaProbe kafkaProbe;
    private final Map<PositionKey, Thread> pollerThreads = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<PositionKey, TableProgress> tables = new LinkedHashMap<>();
    private final Object lifecycle = new Object();
    private final StopSignal stop = new StopSignal();
    private final Map<String, TokenProvider> tokens = new LinkedHashMap<>();
    private final Map<String, HttpClient> httpClients = new LinkedHashMap<>();
    private final Map<String, ApiMetrics> apiMetrics = new LinkedHashMap<>();
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, ServiceNowClient> clients = new LinkedHashMap<>();
    private final SinkWrites sinkWrites = new SinkWrites(100_000);
    private Sink sink;
    private volatile EngineState state = EngineState.NEW;
    private OffsetStore store;
    private EventProducer producer;
    private PositionWriter positions;
    private Boolean closeResult;

    private record Worker(TablePoller poller, Thread thread) {
    }

    /** The runtime with production tuning; {@code null} SPIs get the configured defaults. */
    public EngineRuntime(BridgeConfig config, OffsetStore offsetStore, Map<String, TokenProvider> tokenProviders,
                         ConflictResolver conflictResolver, Serializer serializer, Clock clock) {
        this(config, offsetStore, tokenProviders, conflictResolver, serializer, clock, EngineOptions.DEFAULT);
    }

    /** The runtime with explicit tuning. */
    public EngineRuntime(BridgeConfig config, OffsetStore offsetStore, Map<String, TokenProvider> tokenProviders,
                         ConflictResolver conflictResolver, Serializer serializer, Clock clock,
                         EngineOptions options) {
        this(config, offsetStore, tokenProviders, conflictResolver, serializer, clock, options, null);
    }

    /**
     * The runtime with explicit tuning, registering its meters in {@code registry} ({@code null}: meters
     * nobody reads). The registry stays the caller's; closing the runtime removes the engine's meters from it.
     */
    public EngineRuntime(BridgeConfig config, OffsetStore offsetStore, Map<String, TokenProvider> tokenProviders,
                         ConflictResolver conflictResolver, Serializer serializer, Clock clock,
                         EngineOptions options, MeterRegistry registry) {
        this.meters = registry == null ? EngineMeters.none() : new EngineMeters(registry);
        this.kafkaProbe = new KafkaProbe(config.kafka(), Duration.ofSeconds(2), Duration.ofSeconds(5));
        this.config = Objects.requireNonNull(config, "config");
        this.givenStore = offsetStore;
        this.givenTokens = Map.copyOf(tokenProviders);
        this.conflictResolver = conflictResolver;
        this.givenSerializer = serializer;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        for (InstanceConfig instance : config.instances()) {
            for (TableConfig table : instance.tables()) {
                PositionKey key = PositionKey.records(instance.name(), table.name());
                tables.put(key, new TableProgress(key, table.topic(), meters.table(instance.name(), table.name()),
                        clock));
            }
        }
    }

    /** How long {@code close()} waits by default. */
    public Duration shutdownTimeout() {
        return config.shutdownTimeout();
    }

    /** The conflict resolver given to the builder, for the sink; {@code null} when none was. */
    public ConflictResolver conflictResolver() {
        return conflictResolver;
    }

    /**
     * Opens the offset store, creates missing topics and starts one poller thread per table. Throws
     * {@link IllegalStateException} when called twice or after close, {@link IllegalArgumentException} when
     * a trust store, key store or private key cannot be read, and fails when the offset store or Kafka cannot
     * be opened; the runtime has then released what it had opened and reports {@link EngineState#FAILED}.
     */
    public void start() {
        synchronized (lifecycle) {
            if (state != EngineState.NEW) {
                throw new IllegalStateException("The engine cannot start: it is " + state);
            }
            state = EngineState.STARTING;
            try {
                startSources();
                startSink();
                state = EngineState.RUNNING;
            } catch (RuntimeException e) {
                state = EngineState.FAILED;
                LOG.error("The engine failed to start: {}", e.getMessage());
                release(System.nanoTime() + Duration.ofSeconds(5).toNanos());
                throw e;
            }
        }
    }

    /** A snapshot of the engine and every configured table. */
    public EngineStatus status() {
        return new EngineStatus(state, clock.instant(), tables.values().stream().map(TableProgress::snapshot).toList(),
                sinkTopics());
    }

    /** The sink's topics, as the running sink sees them, or all {@code NEW} before it was built. */
    private List<SinkTopicStatus> sinkTopics() {
        if (!sinkEnabled()) {
            return List.of();
        }
        Sink running = sink;
        return running != null ? running.status() : Sink.statusBeforeStart(config.sink());
    }

    private boolean sinkEnabled() {
        return config.sink().enabled() && !config.sink().topics().isEmpty();
    }

    /**
     * A health check: states, poller threads, credentials (of the sink's topics too), lag and whether Kafka
     * answers. May block up to two seconds while Kafka is asked; the answer is then kept for five.
     */
    public EngineHealth health() {
        KafkaProbe.Result kafka = kafkaProbe.check();
        boolean polling = config.source().enabled();
        List<TableHealth> health = new ArrayList<>();
        for (TableProgress table : tables.values()) {
            Thread thread = pollerThreads.get(table.key());
            EngineState tableState = table.state();
            health.add(new TableHealth(table.key().instance(), table.key().table(), tableState, polling,
                    thread != null && thread.isAlive(), table.credentialsRefused(),
                    table.lagSeconds(clock.instant()), table.snapshot().lastError(), table.deletes(),
                    table.deletesProblem(), table.snapshot().lastErrorAt()));
        }
        Sink running = sink;
        return new EngineHealth(state, clock.instant(), kafka.reachable(), kafka.problem(), health, sinkEnabled(),
                running != null && running.isAlive(), sinkTopics());
    }

    /**
     * Stops polling, waits for records in flight, stores the positions they reached and closes everything
     * owned, within {@code timeout}. Returns {@code false} when the timeout ran out first; records not
     * acknowledged by then are read again on the next start. Later calls return the first call's result.
     */
    public boolean close(Duration timeout) {
        synchronized (lifecycle) {
            if (closeResult != null) {
                return closeResult;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean wasRunning = state != EngineState.NEW;
            state = EngineState.STOPPING;
            if (wasRunning) {
                LOG.info("Stopping the engine, waiting up to {} ms", timeout.toMillis());
            }
            boolean clean = release(deadline);
            state = EngineState.STOPPED;
            tables.values().forEach(t -> t.state(EngineState.STOPPED));
            closeResult = clean;
            if (wasRunning) {
                LOG.info(clean ? "Engine stopped" : "Engine stopped, but not everything finished: records Kafka"
                        + " did not acknowledge in time are read again on the next start");
            }
            return clean;
        }
    }

    /** {@link #close(Duration)} with the configured shutdown timeout. */
    @Override
    public void close() {
        close(shutdownTimeout());
    }

    private void startSources() {
        boolean polling = config.source().enabled() && !tables.isEmpty();
        LOG.info("Starting snkb {}: {} source tables on {} instances, source {}, Kafka {}", ProjectVersion.get(),
                tables.size(), config.instances().size(), polling ? "enabled" : "disabled", config.kafka());
        createHttpClients(polling);
        createTokenProviders();
        store = givenStore != null ? givenStore : OffsetStores.forEngine(config);
        store.open();
        if (!polling) {
            tables.values().forEach(t -> t.state(EngineState.STOPPED));
            return;
        }
        Set<String> topics = new LinkedHashSet<>();
        tables.values().forEach(t -> topics.add(t.topic()));
        TopicCreator.ensureTopics(config.kafka(), topics, options.topicTimeout());
        producer = new EventProducer(config.kafka());
        positions = new PositionWriter(store, options.pollers().positionInterval(), this::storeFailed);
        Serializer serializer = givenSerializer != null ? givenSerializer : new DebeziumJsonSerializer(clock);
        for (InstanceConfig instance : config.instances()) {
            createPollers(instance, serializer);
        }
        positions.start(options.threads());
        workers.forEach(w -> w.thread().start());
    }

    /**
     * The HTTP client and API meters of every instance the engine talks to (tables polled, or sink
     * targets), shared by its reads, writes and token requests.
     */
    private void createHttpClients(boolean polling) {
        Set<String> sinkTargets = new LinkedHashSet<>();
        if (config.sink().enabled()) {
            config.sink().topics().forEach(t -> sinkTargets.add(t.instance()));
        }
        for (InstanceConfig instance : config.instances()) {
            if (polling && !instance.tables().isEmpty() || sinkTargets.contains(instance.name())) {
                httpClients.put(instance.name(), InstanceHttpClient.create(instance.name(), instance.connectTimeout(),
                        instance.connection()));
                apiMetrics.put(instance.name(), meters.api(instance.name()));
            }
        }
    }

    private void createTokenProviders() {
        tokens.putAll(givenTokens);
        for (InstanceConfig instance : config.instances()) {
            if (!tokens.containsKey(instance.name()) && httpClients.containsKey(instance.name())) {
                tokens.put(instance.name(), tokenProvider(instance));
            }
        }
    }

    private TokenProvider tokenProvider(InstanceConfig instance) {
        TokenProvider provider = TokenProviders.forInstance(instance, httpClients.get(instance.name()), userAgent(),
                clock, apiMetrics.get(instance.name()));
        LOG.info("Instance {} authenticates with {}", instance.name(), provider.describe());
        return provider;
    }

    private static String userAgent() {
        return "snkb/" + ProjectVersion.get();
    }

    private void createPollers(InstanceConfig instance, Serializer serializer) {
        if (instance.tables().isEmpty()) {
            return;
        }
        ServiceNowClient client = client(instance);
        SessionZone zone = instance.sessionZone().map(z -> SessionZone.fixed(instance.name(), z))
                .orElseGet(() -> new SessionZone(instance.name(), instance.auth().username()));
        for (TableConfig table : instance.tables()) {
            TableProgress progress = tables.get(PositionKey.records(instance.name(), table.name()));
            try {
                KeysetQueries.validateTableQuery(table.query());
            } catch (IllegalArgumentException e) {
                LOG.error("Table {}/{} is not polled: {}", instance.name(), table.name(), e.getMessage());
                progress.failed(e.getMessage());
                continue;
            }
            var stored = store.read(progress.key()).orElse(null);
            var storedDeletes = store.read(new PositionKey(instance.name(), table.name(), "deletes")).orElse(null);
            RetryingReader reader = new RetryingReader(client, options.pollers().retry(), stop);
            TablePoller poller = new TablePoller(instance.name(), table, reader, producer, serializer, progress,
                    positions, options.pollers(), clock, stop, zone, stored, storedDeletes, sinkWrites);
            String name = "snkb-poll-" + instance.name() + "-" + table.name();
            Thread thread = options.threads().newThread(name, poller);
            workers.add(new Worker(poller, thread));
            pollerThreads.put(progress.key(), thread);
            progress.pollingSince(clock.instant());
            progress.registerLag(clock);
            progress.registerDeletesGauge();
            LOG.info("Polling {}/{} into topic {} every {} ms, from {}", instance.name(), table.name(),
                    table.topic(), table.pollInterval().toMillis(), stored == null ? "the beginning" : stored);
        }
    }

    /** The one client of {@code instance}, shared by its pollers and the sink, and so its rate limit. */
    private ServiceNowClient client(InstanceConfig instance) {
        return clients.computeIfAbsent(instance.name(), name -> new ServiceNowClient(name, instance.baseUrl(),
                instance.requestTimeout(), tokens.get(name), userAgent(), apiMetrics.get(name), httpClients.get(name)));
    }

    private void startSink() {
        if (!sinkEnabled()) {
            return;
        }
        Map<String, ServiceNowClient> sinkClients = new LinkedHashMap<>();
        for (InstanceConfig instance : config.instances()) {
            if (config.sink().topics().stream().anyMatch(t -> t.instance().equals(instance.name()))) {
                sinkClients.put(instance.name(), client(instance));
            }
        }
        TopicCreator.ensureTopics(config.kafka(), List.of(config.sink().dlqTopic(), config.sink().reviewTopic()),
                options.topicTimeout());
        sink = Sink.create(config.sink(), config.kafka(), sinkClients, options.sink(), options.threads(), meters,
                clock, conflictResolver, sinkWrites);
        sink.start();
        LOG.info("Sink writing {} topics into ServiceNow, dead letters to {}", config.sink().topics().size(),
                config.sink().dlqTopic());
    }

    private boolean stopSink(long deadline) {
        if (sink == null) {
            return true;
        }
        try {
            return sink.close(remaining(deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The offset store failed for good: no table may go on without durable positions. */
    private void storeFailed(RuntimeException e) {
        state = EngineState.FAILED;
        String message = "The offset store failed: " + e.getMessage();
        tables.values().forEach(t -> t.failed(message));
        stop.stop();
        workers.forEach(w -> w.thread().interrupt());
    }

    /** Stops and closes everything, in dependency order, until {@code deadline}; true when all finished. */
    private boolean release(long deadline) {
        boolean clean = stopSink(deadline);
        clean &= stopWorkers(deadline);
        clean &= flushPositions(deadline);
        if (producer != null) {
            producer.close(remaining(deadline));
        }
        clean &= closeQuietly("offset store", store != null ? store : givenStore);
        kafkaProbe.close();
        meters.close();
        for (Map.Entry<String, TokenProvider> entry : allTokenProviders().entrySet()) {
            clean &= closeQuietly("token provider of " + entry.getKey(), entry.getValue());
        }
        return clean;
    }

    private boolean stopWorkers(long deadline) {
        stop.stop();
        workers.forEach(w -> w.thread().interrupt());
        boolean clean = true;
        try {
            for (Worker worker : workers) {
                if (worker.thread() != Thread.currentThread() && worker.thread().isAlive()) {
                    worker.thread().join(Math.max(1, remaining(deadline).toMillis()));
                    clean &= !worker.thread().isAlive();
                }
            }
            for (Worker worker : workers) {
                clean &= worker.poller().awaitInFlight(remaining(deadline));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return clean;
    }

    private boolean flushPositions(long deadline) {
        if (positions == null) {
            return true;
        }
        try {
            positions.stop(remaining(deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return positions.flush();
    }

    private Map<String, TokenProvider> allTokenProviders() {
        Map<String, TokenProvider> all = new LinkedHashMap<>(givenTokens);
        all.putAll(tokens);
        return all;
    }
}
