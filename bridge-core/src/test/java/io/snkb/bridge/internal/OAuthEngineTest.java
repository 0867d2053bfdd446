package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.FAST;
import static io.snkb.bridge.internal.SourceTestSupport.config;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.APP_CLIENT;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.APP_SECRET;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.CLIENT;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.PASSWORD;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.passwordGrant;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import io.snkb.bridge.config.Secret;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine reading through OAuth tokens from the simulator's token endpoint into a real Kafka broker. */
class OAuthEngineTest {
    @TempDir
    Path offsets;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void readOutlivingTenTokenLifetimesCompletesWithoutAFailedRequestOrAMissedOrRepeatedRow() {
        // Tokens last one second; 110 pages of two rows, each answered after 100 ms, take over eleven.
        try (ServiceNowSimulator sim = simulator(null).tokenLifetime(Duration.ofSeconds(1)).build().start()) {
            SimTable incident = seed(sim, 220);
            sim.faults().apply("latency=100ms:path=/api/now/table/incident");
            String topic = uniqueTopic("oauth-long");
            // Renewing at 30 % leaves 0.7 s for a request to reach the simulator before its token lapses.
            AuthConfig renewEarly = passwordGrant().withRefreshAtPercent(30);
            BridgeConfig config = config(offsets, instance("dev", sim.baseUrl(), renewEarly,
                    table("incident", topic, 2)));

            try (EngineRuntime engine = engine(config)) {
                engine.start();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() >= 220);

                assertExactlyOnce(topic, incident);
                assertThat(sim.requestLog()).filteredOn(e -> e.pathAndQuery().startsWith("/api/now/table/"))
                        .extracting(RequestLogEntry::status).containsOnly(200);
                assertThat(sim.tokenRequestCount()).isGreaterThanOrEqualTo(11);
                assertThat(refreshes("expiry")).isGreaterThanOrEqualTo(10);
                assertThat(refreshes("rejected")).isZero();
                assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
            }
        }
    }

    @Test
    void oauthConfiguredInAFileReadsIntoKafka() {
        try (ServiceNowSimulator sim = simulator(null).build().start()) {
            SimTable incident = seed(sim, 15);
            String topic = uniqueTopic("oauth-file");
            String yaml = """
                    instances:
                      - name: dev
                        base-url: %s
                        auth:
                          type: oauth
                          grant: client-credentials
                          client-id: %s
                          client-secret: ${APP_SECRET}
                        tables:
                          - name: incident
                            topic: %s
                            poll-interval: 100ms
                    kafka:
                      bootstrap-servers: %s
                    offsets:
                      directory: %s
                    """.formatted(sim.baseUrl(), APP_CLIENT, topic, kafka().bootstrapServers(), offsets);
            BridgeConfig config = ConfigLoader.parse(yaml, "snkb.yaml", Map.of("APP_SECRET", APP_SECRET)::get);

            try (EngineRuntime engine = engine(config)) {
                engine.start();
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() >= 15);

                assertExactlyOnce(topic, incident);
                assertThat(sim.tokenRequestCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void revokedTokenMidRunCausesOneRenewalAndOneRetryAndTheRunContinues() {
        try (ServiceNowSimulator sim = simulator(null).build().start()) {
            SimTable incident = seed(sim, 20);
            String topic = uniqueTopic("oauth-revoked");
            BridgeConfig config = config(offsets, instance("dev", sim.baseUrl(), passwordGrant(),
                    table("incident", topic, 10)));

            try (EngineRuntime engine = engine(config)) {
                engine.start();
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() >= 20);
                long tokenRequests = sim.tokenRequestCount();
                sim.clearRequestLog();
                sim.revokeAccessTokens();
                for (int i = 0; i < 20; i++) {
                    incident.insert(Map.of("short_description", "after revocation " + i));
                }
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() >= 40);

                // One refusal per read in flight: the next page and, while a backlog lasts, the page after it.
                List<Integer> refused = sim.requestLog().stream().map(RequestLogEntry::status)
                        .filter(s -> s != 200).toList();
                assertThat(refused).containsOnly(401).hasSizeBetween(1, 2);
                assertThat(sim.tokenRequestCount()).as("one renewal for both").isEqualTo(tokenRequests + 1);
                assertThat(refreshes("rejected")).as("each refused request repeated with the new token")
                        .isEqualTo(refused.size());
                assertExactlyOnce(topic, incident);
                assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
            }
        }
    }

    @Test
    void wrongClientSecretIsAClearFatalErrorWithinSecondsWithoutARequestStorm() {
        try (ServiceNowSimulator sim = simulator(null).build().start()) {
            seed(sim, 5);
            AuthConfig wrong = new AuthConfig(AuthConfig.Type.OAUTH, "snkb.integration", Secret.of(PASSWORD),
                    AuthConfig.Grant.PASSWORD, CLIENT, Secret.of("wrong-secret-66"), "/oauth_token.do");
            BridgeConfig config = config(offsets, instance("dev", sim.baseUrl(), wrong,
                    table("incident", uniqueTopic("oauth-wrong"), 10)));

            try (EngineRuntime engine = engine(config)) {
                engine.start();
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> engine.health().table("dev", "incident").orElseThrow().credentialsRefused());

                assertThat(status(engine, "dev", "incident").lastError())
                        .contains("'dev'", "password grant", CLIENT, "invalid_client")
                        .doesNotContain("wrong-secret-66", PASSWORD);
                assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RETRYING);
                assertThat(engine.health().ready()).isFalse();
                // Refusal pauses of 1, 2 and 4 s: at most three requests in the next three seconds.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                        .until(() -> sim.tokenRequestCount() <= 3);
                assertThat(sim.requestLog()).noneMatch(e -> e.pathAndQuery().startsWith("/api/now/table/"));
            }
        }
    }

    private EngineRuntime engine(BridgeConfig config) {
        return new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(), FAST, registry);
    }

    private double refreshes(String trigger) {
        Counter counter = registry.find("bridge.servicenow.token.refreshes").tag("trigger", trigger).counter();
        return counter == null ? 0 : counter.count();
    }

    private static SimTable seed(ServiceNowSimulator sim, int rows) {
        SimTable incident = sim.table("incident");
        for (int i = 0; i < rows; i++) {
            incident.insert(Map.of("short_description", "row " + i));
        }
        return incident;
    }

    private static void assertExactlyOnce(String topic, SimTable incident) {
        try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
            assertThat(received).extracting(TopicRecords::key)
                    .containsExactlyInAnyOrderElementsOf(incident.rows().stream().map(r -> r.get("sys_id")).toList());
        }
    }
}
