package io.snkb.bridge.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.config.KafkaConfig;
import io.snkb.testkit.kafka.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaProbeTest {

    @Test
    void aRunningBrokerIsReachable() {
        KafkaConfig config = new KafkaConfig(EmbeddedKafka.shared().bootstrapServers(), Map.of());
        try (KafkaProbe probe = new KafkaProbe(config, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            KafkaProbe.Result result = probe.check();
            assertThat(result.reachable()).as(result.problem()).isTrue();
            assertThat(result.problem()).isNull();
        }
    }

    @Test
    void aPortWithoutBrokerIsNotReachableAndSaysWhereItAsked() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        KafkaConfig config = new KafkaConfig("127.0.0.1:" + port, Map.of());
        try (KafkaProbe probe = new KafkaProbe(config, Duration.ofMillis(500), Duration.ofSeconds(5))) {
            KafkaProbe.Result result = probe.check();
            assertThat(result.reachable()).isFalse();
            assertThat(result.problem()).contains("127.0.0.1:" + port);
            assertThat(probe.check()).as("kept for the cache period").isSameAs(result);
        }
    }

    @Test
    void aClosedProbeReportsTheEngineClosed() {
        KafkaProbe probe = new KafkaProbe(new KafkaConfig("127.0.0.1:9", Map.of()), Duration.ofMillis(100),
                Duration.ZERO);
        probe.close();
        assertThat(probe.check().reachable()).isFalse();
        assertThat(probe.check().problem()).isEqualTo("the engine is closed");
    }
}
