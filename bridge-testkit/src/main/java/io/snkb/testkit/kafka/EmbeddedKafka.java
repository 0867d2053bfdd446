package io.snkb.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode, one process acting as broker and controller, running
 * inside this JVM. Clients reach it over PLAINTEXT at {@link #bootstrapServers()}; it is configured for a
 * single node (replication factor 1 everywhere, {@code min.insync.replicas=1}), so idempotent and
 * transactional producers work, and for a small footprint.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
 *     kafka.createTopic("incidents", 3);
 *     // produce to and consume from kafka.bootstrapServers()
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods may be called from any thread; {@link #start()} and {@link #close()} are
 * serialized. Ownership: the instance owns the broker, its {@link #admin()} client and, when no data
 * directory was given, the temporary directory it created; {@link #close()} releases all three. A data
 * directory passed to the builder belongs to the caller and is kept, so a later broker can restart on it.
 * Several instances may run in one JVM, each on its own ports.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final int BIND_ATTEMPTS = 3;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private static EmbeddedKafka shared;

    private final int requestedPort;
    private final Path givenDataDir;
    private final Map<String, String> brokerProperties;
    private final boolean autoCreateTopics;

    private State state = State.NEW;
    private KafkaRaftServer server;
    private Path dataDir;
    private int port;
    private volatile String bootstrapServers;
    private Admin admin;

    private enum State { NEW, RUNNING, CLOSED }

    private EmbeddedKafka(Builder builder) {
        this.requestedPort = builder.port;
        this.givenDataDir = builder.dataDir;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.autoCreateTopics = builder.autoCreateTopics;
    }

    /** A builder with the defaults: any free port, a temporary data directory, topic auto-creation on. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The broker shared by everything in this JVM, started on first use and stopped by a shutdown hook.
     * Tests that share it must use topic names of their own. Closing it is allowed; the next call then
     * starts a fresh one.
     */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null || shared.isClosed()) {
            EmbeddedKafka kafka = builder().build().start();
            if (shared == null) {
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedKafka::closeShared, "embedded-kafka-stop"));
            }
            shared = kafka;
        }
        return shared;
    }

    private static synchronized void closeShared() {
        shared.close();
    }

    /**
     * Formats the data directory if it is new and starts the broker; returns when clients can use it.
     *
     * @return this instance, for chaining from {@link Builder#build()}
     * @throws EmbeddedKafkaException if the requested port is taken or the broker fails to start
     * @throws IllegalStateException if this instance was started before
     */
    public synchronized EmbeddedKafka start() {
        if (state != State.NEW) {
            throw new IllegalStateException("An embedded Kafka broker can be started only once; it is " + state);
        }
        long startNanos = System.nanoTime();
        ExitGuard.install();
        BrokerLogging.quietBrokerLoggers();
        try {
            dataDir = givenDataDir != null ? givenDataDir : Files.createTempDirectory("snkb-kafka-");
            Path logDir = dataDir.resolve("kraft-combined-logs");
            startWithRetries(logDir);
        } catch (IOException e) {
            cleanUpAfterFailedStart();
            throw new EmbeddedKafkaException("Cannot prepare the data directory of the embedded Kafka broker", e);
        } catch (RuntimeException e) {
            cleanUpAfterFailedStart();
            throw e;
        }
        state = State.RUNNING;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        LOG.info("Embedded Kafka broker started at {} in {} ms (data in {})", bootstrapServers, millis, dataDir);
        return this;
    }

    private void startWithRetries(Path logDir) throws IOException {
        if (requestedPort != 0 && FreePorts.isTaken(requestedPort)) {
            throw new EmbeddedKafkaException("Cannot start the embedded Kafka broker: port " + requestedPort
                + " on " + FreePorts.LOOPBACK + " is already in use; choose another port or port(0) for any");
        }
        for (int attempt = 1; ; attempt++) {
            port = requestedPort != 0 ? requestedPort : FreePorts.any();
            int controllerPort = FreePorts.any();
            KafkaConfig config = KafkaConfig.fromProps(BrokerSettings.combinedNode(
                NODE_ID, logDir, port, controllerPort, autoCreateTopics, brokerProperties), false);
            StorageFormat.formatIfNew(logDir, NODE_ID, BrokerSettings.CONTROLLER_LISTENER);
            try {
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                bootstrapServers = FreePorts.LOOPBACK + ":" + port;
                return;
            } catch (RuntimeException e) {
                stopServer();
                // Another process can take a port between our probe and the broker's bind; new ports fix that.
                if (!isBindFailure(e) || attempt == BIND_ATTEMPTS) {
                    throw new EmbeddedKafkaException("The embedded Kafka broker failed to start on port " + port
                        + " (controller port " + controllerPort + ")", e);
                }
                LOG.debug("Ports {} and {} were taken before the broker bound them; retrying", port, controllerPort);
            }
        }
    }

    private boolean isBindFailure(Throwable error) {
        if (requestedPort != 0) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("failed to bind")) {
                return true;
            }
        }
        return false;
    }

    /** {@code 127.0.0.1:PORT}, for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        String servers = bootstrapServers;
        if (servers == null) {
            throw new IllegalStateException("The embedded Kafka broker has not been started");
        }
        return servers;
    }

    /** The port clients connect to. */
    public synchronized int port() {
        bootstrapServers();
        return port;
    }

    /** The directory holding the broker's logs and metadata. */
    public synchronized Path dataDir() {
        bootstrapServers();
        return dataDir;
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * An admin client connected to this broker, created on first use. It belongs to this instance and is
     * closed with it; callers must not close it.
     */
    public synchronized Admin admin() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The embedded Kafka broker is not running; it is " + state);
        }
        if (admin == null) {
            admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "snkb-embedded-kafka-admin"));
        }
        return admin;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     *
     * @throws EmbeddedKafkaException if the topic exists already or cannot be created in time
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a compacted topic that the broker compacts soon after records arrive: segments roll every
     * second and any share of superseded records makes the log worth cleaning. Tombstones are kept for a
     * minute so that a reader from the beginning sees them.
     */
    public void createCompactedTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_MS_CONFIG, "1000",
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
            TopicConfig.DELETE_RETENTION_MS_CONFIG, "60000"));
    }

    /** Creates a topic with the given topic-level configs and waits until every partition has a leader. */
    public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfigs);
        await(admin().createTopics(List.of(topic)).all(), "create topic " + name);
        awaitLeaders(name);
    }

    /**
     * Topic creation is acknowledged once the controller commits it; the broker learns of it a moment
     * later, and until then clients see unknown-topic errors. Polling the broker's own view closes the gap.
     */
    private void awaitLeaders(String name) {
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        while (!hasAllLeaders(name)) {
            if (System.nanoTime() > deadline) {
                throw new EmbeddedKafkaException("Topic " + name + " has partitions without a leader after "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
            }
            pause();
        }
    }

    private boolean hasAllLeaders(String name) {
        try {
            TopicDescription description = admin().describeTopics(List.of(name)).allTopicNames()
                .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            // Unknown topic while the broker's metadata catches up with the controller.
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for topic " + name, e);
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("The broker did not describe topic " + name + " in time", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddedKafkaException("Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Cannot " + what + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while trying to " + what, e);
        }
    }

    /**
     * Stops the admin client, the broker and the controller, and deletes the data directory if this
     * instance created it. Calling it again, or on a broker never started, does nothing.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.CLOSED;
        bootstrapServers = null;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        stopServer();
        deleteOwnedDataDir();
        if (wasRunning) {
            LOG.info("Embedded Kafka broker on port {} stopped", port);
        }
    }

    private void cleanUpAfterFailedStart() {
        state = State.CLOSED;
        stopServer();
        deleteOwnedDataDir();
    }

    private void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private void deleteOwnedDataDir() {
        if (givenDataDir == null && dataDir != null) {
            try {
                Directories.deleteRecursively(dataDir);
            } catch (UncheckedIOException e) {
                LOG.warn("Cannot delete the embedded Kafka data directory {}", dataDir, e);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + (bootstrapServers != null ? bootstrapServers : state) + "]";
    }

    /**
     * Collects the broker's settings; {@link #build()} copies them, so a builder can be reused.
     * Not thread-safe.
     */
    public static final class Builder {

        private int port;
        private Path dataDir;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private boolean autoCreateTopics = true;

        private Builder() {
        }

        /** The client port on 127.0.0.1; 0, the default, picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Invalid value " + port + " for 'port': must be 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * A directory for the broker's logs, kept on close so that a new broker can restart on it. By
         * default a temporary directory is created and deleted on close.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Whether producing to or fetching from an unknown topic creates it; on by default. */
        public Builder autoCreateTopics(boolean enabled) {
            this.autoCreateTopics = enabled;
            return this;
        }

        /** Any broker setting; it overrides the embedded defaults, including the listeners. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
