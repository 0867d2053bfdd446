package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.awaitFreshPoll;
import static io.snkb.bridge.internal.SourceTestSupport.config;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.runtime;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snkb.bridge.DeleteCapture;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConnectionConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.servicenow.RetrySettings;
import io.snkb.bridge.internal.source.PollerSettings;
import io.snkb.bridge.internal.source.TablePoller;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class FailureHandlingTest {
    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private static void seed(SimTable table, int count) {
        for (int i = 0; i < count; i++) {
            table.insert(Map.of("short_description", "row " + i));
        }
    }

    @Test
    void hibernationPageProxyErrorsAndBrokenBodiesAreRetriedWithoutSkippingRows() {
        String topic = uniqueTopic("flaky");
        SimTable incident = sim.table("incident");
        seed(incident, 60);
        sim.faults().hibernate(2).proxy502(2).error(500, 2).truncateBody(1);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine) {
            engine.start();
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
                assertThat(received).extracting(TopicRecords::key)
                        .containsExactlyInAnyOrderElementsOf(
                                incident.rows().stream().map(r -> r.get("sys_id")).toList());
            }
            assertThat(sim.requestLog()).extracting(RequestLogEntry::status).contains(200, 502, 500);
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void rateLimitIsWaitedOutWithoutCountingAsAFailure() {
        ServiceNowSimulator limited = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC"))
                .rateLimit(2, Duration.ofSeconds(1)).build().start();
        String topic = uniqueTopic("limited");
        // Five requests in under a second span at most two windows of two: at least one gets a 429.
        seed(limited.table("incident"), 40);
        try (limited; EngineRuntime engine = runtime(config(offsets,
                instance(limited.baseUrl(), table("incident", topic, 10))))) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 40);
            assertThat(limited.requestLog()).extracting(RequestLogEntry::status).contains(429);
            // Each 429 is waited out until its Retry-After: the window then has room for two requests again,
            // whereas retrying at once would meet a burst of refusals.
            long refused = limited.requestLog().stream().filter(r -> r.status() == 429).count();
            long served = limited.requestLog().stream().filter(r -> r.status() == 200).count();
            assertThat(refused).isLessThanOrEqualTo(served);
            TableStatus status = status(engine, "dev", "incident");
            assertThat(status.lastError()).isNull();
            assertThat(status.state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void aLongRetryAfterShowsInStatusAndReadinessWhileTheRowsStillArrive() {
        ServiceNowSimulator limited = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC"))
                .rateLimit(3, Duration.ofSeconds(11)).build().start();
        String topic = uniqueTopic("long-limit");
        seed(limited.table("incident"), 40);
        try (limited; EngineRuntime engine = runtime(config(offsets,
                instance(limited.baseUrl(), table("incident", topic, 10))))) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RETRYING);
            assertThat(status(engine, "dev", "incident").lastError())
                    .contains("'dev'", "HTTP 429", "Retry-After", "none is sent before");
            assertThat(engine.health().ready()).isFalse();

            // Three requests per 11 s keep every poll waiting; the rows still all arrive.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 40);
            assertThat(status(engine, "dev", "incident").state()).isNotEqualTo(EngineState.FAILED);
        }
    }

    @Test
    void cancelledTransactionHalvesThePageSizeWithoutLossOrDuplicates() {
        String topic = uniqueTopic("cancelled");
        SimTable incident = sim.table("incident");
        seed(incident, 120);
        sim.faults().maxPageSize(30);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 100))));
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 120);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<String> all = incident.rows().stream().map(r -> r.get("sys_id")).toList();
                assertThat(records.readToEnd()).extracting(TopicRecords::key).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(all);
            }
            List<String> incidentRequests = sim.requestLog().stream()
                    .filter(r -> r.pathAndQuery().startsWith("/api/now/table/incident"))
                    .map(r -> r.status() + " " + r.pathAndQuery().replaceAll(".*sysparm_limit=(\\d+).*", "$1"))
                    .toList();
            assertThat(incidentRequests).startsWith("500 100", "500 50", "200 25");
            assertThat(incidentRequests).filteredOn(r -> r.startsWith("500")).as("no retries of a hopeless size")
                    .hasSize(2);
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void rowThatCannotBeReadEvenAloneIsReportedAndNothingAfterItIsSkipped() {
        String topic = uniqueTopic("cancelled-alone");
        SimTable incident = sim.table("incident");
        seed(incident, 3);
        sim.faults().apply("max-page=0:table=incident");

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 4))));
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RETRYING);
            assertThat(status(engine, "dev", "incident").lastError())
                    .contains("'incident'", "the row after the start of the table", "even alone",
                            "Transaction cancelled");
            assertThat(status(engine, "dev", "incident").recordsProduced()).isZero();

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 3);
        }
    }

    @Test
    void deniedAndUnknownTablesFailAloneWhileOthersKeepRunning() {
        String incidentTopic = uniqueTopic("ok");
        seed(sim.table("incident"), 3);
        seed(sim.table("problem"), 3);
        sim.faults().apply("error=403:path=/api/now/table/problem");

        BridgeConfig config = config(offsets, instance(sim.baseUrl(), table("incident", incidentTopic, 10),
                table("problem", uniqueTopic("denied"), 10), table("u_no_such_table", uniqueTopic("nope"), 10)));
        EngineRuntime engine = runtime(config);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.status().tables().stream()
                    .filter(t -> t.state() == EngineState.FAILED).count() == 2);

            TableStatus problem = status(engine, "dev", "problem");
            assertThat(problem.lastError()).contains("'dev'", "'problem'", "HTTP 403");
            TableStatus unknown = status(engine, "dev", "u_no_such_table");
            assertThat(unknown.lastError()).contains("'u_no_such_table'", "HTTP 400", "Invalid table");
            assertThat(List.of(problem, unknown)).allSatisfy(failed -> {
                assertThat(failed.deletes()).isEqualTo(DeleteCapture.NOT_CAPTURED);
                assertThat(failed.deletesProblem()).contains("the table failed");
            });
            assertThat(status(engine, "dev", "incident").deletes()).isEqualTo(DeleteCapture.CAPTURED);

            seed(sim.table("incident"), 2);
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
            assertThat(status(engine, "dev", "incident").recordsProduced()).isEqualTo(5);
            assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void aTableFailedByA403IsReadAgainLessAndLessOftenAndRecoversWhenTheInstanceLetsItRead() {
        String topic = uniqueTopic("denied-then-allowed");
        seed(sim.table("incident"), 3);
        sim.faults().apply("error=403:path=/api/now/table/incident");
        EngineOptions options = SourceTestSupport.FAST.withPollers(
                SourceTestSupport.FAST.pollers().withFailedRetry(Duration.ofMillis(300)));
        BridgeConfig config = config(offsets, instance(sim.baseUrl(), table("incident", topic, 10)));
        try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(),
                options)) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.FAILED);
            assertThat(status(engine, "dev", "incident").lastError()).contains("'incident'", "HTTP 403");
            assertThat(engine.health().ready()).isFalse();
            // Waits of 0.3, 0.6, 1.2 and 2.4 s: four more reads in 4.5 s, not one per poll interval.
            long denied = incidentReads();
            await().pollDelay(Duration.ofMillis(4500)).atMost(Duration.ofSeconds(6)).until(() -> true);
            assertThat(incidentReads() - denied).isBetween(2L, 5L);
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.FAILED);

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 3);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RUNNING);
            assertThat(engine.health().ready()).isTrue();
        }
    }

    private long incidentReads() {
        return sim.requestLog().stream().filter(r -> r.pathAndQuery().startsWith("/api/now/table/incident?")).count();
    }

    @Test
    void unreachableInstanceShowsAsRetryingLongBeforeTheRetriesGiveUp() {
        String topic = uniqueTopic("unreachable-early");
        seed(sim.table("incident"), 2);
        sim.faults().hibernate();
        // A retry series of ten minutes: only the early report can make the table leave RUNNING in time.
        EngineOptions patient = SourceTestSupport.FAST.withPollers(new PollerSettings(
                new RetrySettings(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(10)),
                10_000, Duration.ofSeconds(10), Duration.ofMillis(200)));
        BridgeConfig config = config(offsets, instance(sim.baseUrl(), table("incident", topic, 10)));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger log = (Logger) LoggerFactory.getLogger(TablePoller.class);
        log.addAppender(logged);

        try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(),
                patient)) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RETRYING);
            assertThat(status(engine, "dev", "incident").lastError())
                    .contains("'dev'", "'incident'", "not a JSON response", "still retrying")
                    .doesNotContain("gave up");
            assertThat(engine.health().table("dev", "incident").orElseThrow().ready()).isFalse();

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RUNNING);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 2);
        } finally {
            log.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("'incident'", "still retrying");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains("Polling dev/incident recovered: a poll read and sent what it should");
    }

    @Test
    void exhaustedRetriesLeaveTheTableRetryingUntilTheInstanceRecovers() {
        String topic = uniqueTopic("hibernating");
        seed(sim.table("incident"), 4);
        sim.faults().hibernate();

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").state() == EngineState.RETRYING
                            && status(engine, "dev", "incident").lastError().contains("gave up after"));
            TableStatus retrying = status(engine, "dev", "incident");
            assertThat(retrying.lastError()).contains("'incident'", "not a JSON response", "gave up after");
            assertThat(retrying.position()).isNull();

            sim.faults().clear();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 4);
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void closeDuringRetryBackoffReturnsPromptly() {
        seed(sim.table("incident"), 1);
        sim.faults().hibernate();
        EngineRuntime engine =
                runtime(config(offsets, instance(sim.baseUrl(), table("incident", uniqueTopic("backoff"), 10))));
        engine.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.requestCount() >= 3);

        long started = System.nanoTime();
        assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.STOPPED);
    }

    @Test
    void wrongPasswordLeavesTheTableRetryingNamingTheUserNotThePassword() {
        seed(sim.table("incident"), 1);
        InstanceConfig wrong = instance("dev", sim.baseUrl(), "not-the-password",
                table("incident", uniqueTopic("auth"), 10));
        EngineRuntime engine = runtime(config(offsets, wrong));
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").lastError() != null);
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RETRYING);
            assertThat(engine.health().table("dev", "incident").orElseThrow().credentialsRefused()).isTrue();
            assertThat(status(engine, "dev", "incident").lastError())
                    .contains("HTTP 401", SourceTestSupport.USER)
                    .doesNotContain("not-the-password");
        }
    }

    @Test
    void twoInstancesOneDownOneRefusingCredentialsTheHealthyOneKeepsItsPaceAndStatusNamesTheFailingOnes() {
        ServiceNowSimulator gone = ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();
        java.net.URI downUrl = gone.baseUrl();
        gone.close();
        String topic = uniqueTopic("healthy");
        seed(sim.table("incident"), 3);
        BridgeConfig config = config(offsets, instance(sim.baseUrl(), table("incident", topic, 10)),
                instance("down", downUrl, SourceTestSupport.PASSWORD, table("incident", uniqueTopic("down"), 10)),
                instance("locked", sim.baseUrl(), "wrong", table("problem", uniqueTopic("locked"), 10)));

        EngineRuntime engine = runtime(config);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(engine, "down", "incident").lastError() != null
                    && status(engine, "locked", "problem").lastError() != null);
            for (int round = 1; round <= 3; round++) {
                seed(sim.table("incident"), 2);
                int expected = 3 + 2 * round;
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> status(engine, "dev", "incident").recordsProduced() == expected);
            }
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
            assertThat(status(engine, "down", "incident").state()).isEqualTo(EngineState.RETRYING);
            assertThat(status(engine, "down", "incident").lastError()).contains("'down'", "'incident'");
            assertThat(status(engine, "locked", "problem").lastError()).contains("'locked'", "'problem'", "HTTP 401");
            var health = engine.health();
            assertThat(health.table("dev", "incident").orElseThrow().ready()).isTrue();
            assertThat(health.table("down", "incident").orElseThrow().ready()).isFalse();
            assertThat(health.table("down", "incident").orElseThrow().lastError()).contains("'down'");
            assertThat(health.table("locked", "problem").orElseThrow().credentialsRefused()).isTrue();
            assertThat(health.ready()).isFalse();
        }
    }

    @Test
    void unreadableTrustStoreFailsStartNamingInstanceAndFile() {
        Path missing = offsets.resolve("no-such-truststore.p12");
        InstanceConfig instance = new InstanceConfig("prod", sim.baseUrl(), instance(sim.baseUrl()).auth(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), List.of(table("incident", uniqueTopic("tls"), 10)),
                new ConnectionConfig(missing, Secret.of("store-pw-0a1"), null, null, null));
        EngineRuntime engine = runtime(config(offsets, instance));
        assertThatThrownBy(engine::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'prod'")
                .hasMessageContaining("no-such-truststore.p12")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("store-pw-0a1"));
        assertThat(engine.status().state()).isEqualTo(EngineState.FAILED);
        assertThat(engine.close(Duration.ofSeconds(1))).isTrue();
        assertThat(offsets.resolve("positions.lock")).doesNotExist();
    }

    @Test
    void secondEngineOnTheSameOffsetsFailsToStart() {
        BridgeConfig config = config(offsets, instance(sim.baseUrl(), table("incident", uniqueTopic("lock"), 10)));
        try (EngineRuntime first = runtime(config)) {
            first.start();
            EngineRuntime second = runtime(config);
            assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by");
            second.close(Duration.ofSeconds(1));
            assertThat(first.status().state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void closeIsIdempotent() {
        EngineRuntime engine =
                runtime(config(offsets, instance(sim.baseUrl(), table("incident", uniqueTopic("c"), 10))));
        engine.start();
        assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
        assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
        assertThat(engine.status().state()).isEqualTo(EngineState.STOPPED);
        assertThat(engine.status().tables()).extracting(TableStatus::state).containsOnly(EngineState.STOPPED);
        assertThatThrownBy(engine::start).isInstanceOf(IllegalStateException.class);
    }
}
