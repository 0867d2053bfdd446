package io.snkb.bridge.internal;

import static org.awaitility.Awaitility.await;

import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.HttpConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.config.OffsetsConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.config.SourceConfig;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.servicenow.RetrySettings;
import io.snkb.bridge.internal.source.PollerSettings;
import io.snkb.testkit.kafka.EmbeddedKafka;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Configurations and engines for tests of the source path, built from the config records directly. */
final class SourceTestSupport {
    static final String USER = "snkb.integration";
    static final String PASSWORD = "s3cret-pw";
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    static final Duration REREAD_WINDOW = Duration.ofSeconds(2);

    /** Short waits so that failure tests take a second, not minutes. */
    static final EngineOptions FAST = EngineOptions.DEFAULT.withPollers(new PollerSettings(
            new RetrySettings(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(1500)),
            10_000, Duration.ofSeconds(10), Duration.ofMillis(200)));

    private static final AtomicInteger TOPICS = new AtomicInteger();

    private SourceTestSupport() {
    }

    static EmbeddedKafka kafka() {
        return EmbeddedKafka.shared();
    }

    /** A topic name no other test uses. */
    static String uniqueTopic(String base) {
        return "test-" + base + "-" + TOPICS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    static TableConfig table(String name, String topic, int pageSize) {
        return new TableConfig(name, topic, List.of(), "", pageSize, POLL_INTERVAL, REREAD_WINDOW);
    }

    static InstanceConfig instance(String name, URI baseUrl, String password, TableConfig... tables) {
        AuthConfig auth = new AuthConfig(AuthConfig.Type.BASIC, USER, Secret.of(password), null, null, null, null);
        return new InstanceConfig(name, baseUrl, auth, Duration.ofSeconds(2), Duration.ofSeconds(5), List.of(tables));
    }

    static InstanceConfig instance(String name, URI baseUrl, AuthConfig auth, TableConfig... tables) {
        return new InstanceConfig(name, baseUrl, auth, Duration.ofSeconds(2), Duration.ofSeconds(5), List.of(tables));
    }

    static InstanceConfig instance(URI baseUrl, TableConfig... tables) {
        return instance("dev", baseUrl, PASSWORD, tables);
    }

    static BridgeConfig config(Path offsets, InstanceConfig... instances) {
        return config(offsets, new SinkConfig(false, "snkb-sink", "snkb.dlq", List.of()), instances);
    }

    static BridgeConfig config(Path offsets, SinkConfig sink, InstanceConfig... instances) {
        return new BridgeConfig(List.of(instances), new KafkaConfig(kafka().bootstrapServers(), Map.of()),
                new SourceConfig(true, "snkb.{instance}.{table}"),
                sink,
                new OffsetsConfig(OffsetsConfig.Type.FILE, offsets),
                new HttpConfig(false, "127.0.0.1", 0), Duration.ofSeconds(10));
    }

    static EngineRuntime runtime(BridgeConfig config) {
        return new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(), FAST);
    }

    static TableStatus status(EngineRuntime runtime, String instance, String table) {
        return runtime.status().table(instance, table).orElseThrow();
    }

    /**
     * Waits until a poll that started after this call has finished, so everything written before the call
     * has been read and, if new, acknowledged by Kafka.
     */
    static void awaitFreshPoll(EngineRuntime runtime, String instance, String table) {
        Instant calledAt = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> isAfter(status(runtime, instance, table), calledAt));
        Instant firstFinish = status(runtime, instance, table).lastPollAt();
        await().atMost(Duration.ofSeconds(10)).until(() -> isAfter(status(runtime, instance, table), firstFinish));
    }

    private static boolean isAfter(TableStatus status, Instant time) {
        return status.lastPollAt() != null && status.lastPollAt().isAfter(time);
    }
}
