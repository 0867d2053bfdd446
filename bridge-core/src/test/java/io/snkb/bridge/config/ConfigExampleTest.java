package io.snkb.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example shipped in {@code examples/config} is valid and means what its comments say. */
class ConfigExampleTest {

    static final Path EXAMPLE = Path.of("..", "examples", "config", "snkb-example.yaml");

    private final Map<String, String> env = Map.of("ACME_PASSWORD", "acme-pw", "KAFKA_PASSWORD", "kafka-pw");

    @Test
    void exampleLoadsWithItsSecretsFromEnvironmentAndFile(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(EXAMPLE, dir.resolve("snkb.yaml"));
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/globex-client-secret"), "globex-cs\n");

        BridgeConfig config = ConfigLoader.load(copy, env::get);

        InstanceConfig acme = config.instance("acme").orElseThrow();
        assertThat(acme.baseUrl()).isEqualTo(URI.create("https://acme.service-now.com"));
        assertThat(acme.auth().password().reveal()).isEqualTo("acme-pw");
        assertThat(acme.table("incident").orElseThrow().topic()).isEqualTo("servicenow.acme.incident");
        assertThat(acme.table("change_request").orElseThrow().pageSize()).isEqualTo(200);
        assertThat(acme.table("incident").orElseThrow().pollInterval()).isEqualTo(Duration.ofSeconds(10));

        InstanceConfig globex = config.instance("globex-dev").orElseThrow();
        assertThat(globex.baseUrl()).isEqualTo(URI.create("https://globex-dev.service-now.com"));
        assertThat(globex.auth().clientSecret().reveal()).isEqualTo("globex-cs");
        assertThat(globex.auth().refreshAtPercent()).isEqualTo(80);
        assertThat(globex.connection().proxy()).isEqualTo("proxy.globex.internal:3128");
        assertThat(globex.table("sys_user").orElseThrow().rereadWindow()).isEqualTo(Duration.ofMinutes(2));

        assertThat(config.sink().topics()).singleElement().satisfies(t -> {
            assertThat(t.keyFields()).containsExactly("correlation_id");
            assertThat(t.conflict()).isEqualTo(SinkTopicConfig.Conflict.SERVICENOW_WINS);
            assertThat(t.conflictFields()).containsExactly("assignment_group", "assigned_to");
        });
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.kafka().properties().get("sasl.jaas.config")).endsWith("password=\"kafka-pw\";");
        assertThat(ConfigRenderer.render(config)).doesNotContain("acme-pw", "globex-cs", "kafka-pw");
    }
}
