package io.snkb.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.snkb.bridge.spi.ChangeEvent;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.Serializer;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeEngineTest {
    @TempDir
    Path offsets;

    /** A store kept in memory, enough to see what the engine writes and that it closes what it was given. */
    private static final class MemoryStore implements OffsetStore {
        final Map<PositionKey, Position> positions = new ConcurrentHashMap<>();
        final AtomicBoolean opened = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void open() {
            opened.set(true);
        }

        @Override
        public Optional<Position> read(PositionKey key) {
            return Optional.ofNullable(positions.get(key));
        }

        @Override
        public void write(Map<PositionKey, Position> updates) {
            positions.putAll(updates);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final class PlainTextSerializer implements Serializer {
        @Override
        public byte[] serialize(ChangeEvent event) {
            return (event.op().code() + ":" + event.sysId()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String contentType() {
            return "text/plain";
        }
    }

    @Test
    void builderPassesTheGivenSpisAndTheEngineClosesThem() {
        try (ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
                .user("snkb.integration", "pw", ZoneId.of("UTC")).build().start()) {
            sim.table("incident").insert(Map.of("short_description", "one"));
            sim.table("incident").insert(Map.of("short_description", "two"));
            MemoryStore store = new MemoryStore();
            BridgeEngine engine = BridgeEngine.builder().config(config(sim)).offsetStore(store)
                    .serializer(new PlainTextSerializer()).build();
            assertThat(engine.status().state()).isEqualTo(EngineState.NEW);

            engine.start();
            assertThat(store.opened).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.positions.size() == 1
                    && engine.status().table("dev", "incident").orElseThrow().recordsProduced() == 2);
            assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);

            assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
            assertThat(store.closed).isTrue();
            assertThat(engine.status().state()).isEqualTo(EngineState.STOPPED);
        }
    }

    private BridgeConfig config(ServiceNowSimulator sim) {
        AuthConfig auth = new AuthConfig(AuthConfig.Type.BASIC, "snkb.integration", Secret.of("pw"),
                null, null, null, null);
        TableConfig table = new TableConfig("incident", "bridge-engine-test-" + System.nanoTime(), List.of(), "",
                100, Duration.ofMillis(50), Duration.ofSeconds(1));
        InstanceConfig instance = new InstanceConfig("dev", sim.baseUrl(), auth, Duration.ofSeconds(2),
                Duration.ofSeconds(5), List.of(table));
        return new BridgeConfig(List.of(instance), new KafkaConfig(EmbeddedKafka.shared().bootstrapServers(),
                Map.of()), new SourceConfig(true, "snkb.{instance}.{table}"),
                new SinkConfig(false, "g", "dlq", List.of()), new OffsetsConfig(OffsetsConfig.Type.FILE, offsets),
                new HttpConfig(false, "127.0.0.1", 0), Duration.ofSeconds(10));
    }
}
