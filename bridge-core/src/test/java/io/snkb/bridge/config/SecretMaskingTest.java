package io.snkb.bridge.config;

import static io.snkb.bridge.config.ConfigLoaderTest.MINIMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    private static final String PASSWORD = "hunter2-Pa55";
    private static final String CLIENT_SECRET = "cs-7f3a9d";
    private static final String JAAS_PASSWORD = "kafka-pw-42";
    private static final List<String> SECRETS = List.of(PASSWORD, CLIENT_SECRET, JAAS_PASSWORD);

    private static final String YAML = """
            instances:
              - name: acme
                base-url: https://acme.service-now.com
                auth:
                  type: basic
                  username: svc_snkb
                  password: ${ACME_PASSWORD}
              - name: globex
                base-url: https://globex.service-now.com
                auth:
                  type: oauth
                  grant: client-credentials
                  client-id: snkb
                  client-secret: ${GLOBEX_SECRET}
            kafka:
              bootstrap-servers: localhost:9092
              properties:
                security.protocol: SASL_SSL
                sasl.jaas.config: ScramLoginModule required username="snkb" password="${KAFKA_PW}";
            """;

    private static final Map<String, String> ENV =
            Map.of("ACME_PASSWORD", PASSWORD, "GLOBEX_SECRET", CLIENT_SECRET, "KAFKA_PW", JAAS_PASSWORD);

    private static BridgeConfig load() {
        return ConfigLoader.parse(YAML, "masked.yaml", ENV::get);
    }

    @Test
    void substitutedSecretsAreKeptAndRevealedOnlyOnRequest() {
        BridgeConfig config = load();

        assertThat(config.instances().get(0).auth().password().reveal()).isEqualTo(PASSWORD);
        assertThat(config.instances().get(1).auth().clientSecret().reveal()).isEqualTo(CLIENT_SECRET);
        assertThat(config.kafka().properties().get("sasl.jaas.config")).contains(JAAS_PASSWORD);
    }

    @Test
    void renderedConfigurationShowsNoSecret() {
        String rendered = ConfigRenderer.render(load());

        assertThat(rendered).doesNotContain(SECRETS)
                .contains("password: '******'", "client-secret: '******'", "sasl.jaas.config: '******'")
                .contains("security.protocol: SASL_SSL", "username: svc_snkb");
    }

    @Test
    void toStringOfTheConfigurationShowsNoSecret() {
        BridgeConfig config = load();

        assertThat(config.toString()).doesNotContain(SECRETS).contains("******");
        assertThat(config.instances().get(0).auth().toString()).doesNotContain(PASSWORD);
        assertThat(Secret.of(PASSWORD)).hasToString("******");
    }

    @Test
    void problemsNeverShowSecretValues() {
        String broken = YAML.replace("type: basic", "type: basic\n      client-secret: " + CLIENT_SECRET)
                .replace("password: ${ACME_PASSWORD}", "password: " + PASSWORD + "${UNSET}")
                .replace("password=\"${KAFKA_PW}\"", "password=\"" + JAAS_PASSWORD + "${UNSET}\"");

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(broken, "masked.yaml", ENV::get));

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly(
                "instances[0].auth.password", "instances[0].auth.client-secret", "kafka.properties.sasl.jaas.config");
        assertThat(e.getMessage()).doesNotContain(SECRETS);
        assertThat(e.problems().toString()).doesNotContain(SECRETS);
        assertThat(e.problems()).extracting(ConfigProblem::value).containsOnly("******");
    }

    @Test
    void renderedConfigurationLoadsBackToTheSameValues() {
        BridgeConfig config = load();

        BridgeConfig again = ConfigLoaderTest.parse(ConfigRenderer.render(config));

        assertThat(again.instances()).extracting(InstanceConfig::name, InstanceConfig::baseUrl, InstanceConfig::tables)
                .containsExactlyElementsOf(config.instances().stream()
                        .map(i -> org.assertj.core.groups.Tuple.tuple(i.name(), i.baseUrl(), i.tables())).toList());
        assertThat(again.instances().get(0).auth().password().reveal()).isEqualTo("******");
        assertThat(List.of(again.source(), again.sink(), again.offsets(), again.http(), again.shutdownTimeout()))
                .isEqualTo(List.of(config.source(), config.sink(), config.offsets(), config.http(),
                        config.shutdownTimeout()));
    }
}
