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
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.snkb.bridge.DeleteCapture;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.TableHealth;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.TableConfig;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DeleteCaptureTest {
    @TempDir
    Path offsets;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).build().start();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    @Test
    void deletedRecordYieldsADeleteEventAndATombstone() {
        String topic = uniqueTopic("deletes");
        SimTable incident = sim.table("incident");
        Map<String, String> doomed = incident.insert(Map.of("short_description", "to be deleted ✂", "active", ""));
        Map<String, String> kept = incident.insert(Map.of("short_description", "kept"));
        sim.table("problem").insert(Map.of("short_description", "other table"));
        sim.table("problem").delete(sim.table("problem").rows().get(0).get("sys_id"));

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            records.awaitAtLeast(2);
            incident.delete(doomed.get("sys_id"));

            List<ConsumerRecord<byte[], byte[]>> all = records.awaitAtLeast(4);
            List<ConsumerRecord<byte[], byte[]>> ofDoomed = all.stream()
                    .filter(r -> TopicRecords.key(r).equals(doomed.get("sys_id"))).toList();
            assertThat(ofDoomed).hasSize(3);
            ConsumerRecord<byte[], byte[]> delete = ofDoomed.get(1);
            JsonNode value = TopicRecords.value(delete);
            assertThat(value.get("op").asText()).isEqualTo("d");
            assertThat(value.get("after").isNull()).isTrue();
            assertThat(value.at("/before/sys_id").asText()).isEqualTo(doomed.get("sys_id"));
            assertThat(value.at("/before/short_description").asText()).isEqualTo("to be deleted ✂");
            assertThat(value.at("/before/active").asText()).isEmpty();
            assertThat(value.at("/source/read_mode").asText()).isEqualTo("audit");
            assertThat(TopicRecords.header(delete, "snkb.op")).isEqualTo("d");
            ConsumerRecord<byte[], byte[]> tombstone = ofDoomed.get(2);
            assertThat(tombstone.value()).isNull();
            assertThat(TopicRecords.header(tombstone, "snkb.op")).isEqualTo("d");

            awaitFreshPoll(engine, "dev", "incident");
            assertThat(records.readToEnd()).as("a further poll emits nothing").hasSize(4)
                    .extracting(TopicRecords::key).contains(kept.get("sys_id"));
            TableStatus status = status(engine, "dev", "incident");
            assertThat(status.deletes()).isEqualTo(DeleteCapture.CAPTURED);
            assertThat(status.deletesProblem()).isNull();
        }
    }

    @Test
    void deletesResumeFromTheirOwnStoredPositionAfterARestart() {
        String topic = uniqueTopic("deletes-restart");
        SimTable incident = sim.table("incident");
        List<String> ids = List.of(incident.insert(Map.of("short_description", "a")).get("sys_id"),
                incident.insert(Map.of("short_description", "b")).get("sys_id"));
        incident.delete(ids.get(0));
        var config = config(offsets, instance(sim.baseUrl(), table("incident", topic, 10)));
        try (EngineRuntime first = runtime(config)) {
            first.start();
            awaitFreshPoll(first, "dev", "incident");
        }
        incident.delete(ids.get(1));
        try (EngineRuntime second = runtime(config);
             TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
            second.start();
            awaitFreshPoll(second, "dev", "incident");
            List<String> deleted = records.readToEnd().stream()
                    .filter(r -> r.value() != null && TopicRecords.value(r).get("op").asText().equals("d"))
                    .map(TopicRecords::key).toList();
            // The first delete's second is read again after the restart (at most one second of repeats).
            assertThat(deleted).containsOnly(ids.get(0), ids.get(1)).containsOnlyOnce(ids.get(1));
        }
    }

    @Test
    void deleteWhoseAuditRowFollowsAWholePageOfHiddenAuditRowsIsEmitted() {
        String topic = uniqueTopic("deletes-hidden");
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator clocked = clockedSimulator(clock)) {
            SimTable incident = clocked.table("incident");
            Set<String> restricted = deleteRows(incident, 12);
            clock.advance(Duration.ofSeconds(1));
            String visible = incident.insert(Map.of("short_description", "deleted after them")).get("sys_id");
            incident.delete(visible);
            // Pages of 10: the first page of audit rows comes back empty, the visible delete is on the second.
            clocked.faults().hideRows("*", "sys_audit_delete", row -> restricted.contains(row.get("documentkey")));

            EngineRuntime engine = runtime(config(offsets, instance(clocked.baseUrl(), table("incident", topic, 10))));
            try (engine; TopicRecords records = startAndRead(engine, topic)) {
                assertThat(records.awaitAtLeast(2)).extracting(TopicRecords::key).containsExactly(visible, visible);
                awaitFreshPoll(engine, "dev", "incident");
                List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
                assertThat(received).as("the delete and its tombstone, once").hasSize(2);
                assertThat(TopicRecords.value(received.get(0)).get("op").asText()).isEqualTo("d");
                assertThat(received.get(1).value()).isNull();
                assertThat(status(engine, "dev", "incident").deletes()).isEqualTo(DeleteCapture.CAPTURED);
            }
        }
    }

    @Test
    void deletesPollEndsWhenEveryAuditRowAfterTheLastVisibleOneIsHidden() {
        String topic = uniqueTopic("deletes-hidden-tail");
        ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
        try (ServiceNowSimulator clocked = clockedSimulator(clock)) {
            SimTable incident = clocked.table("incident");
            String visible = incident.insert(Map.of("short_description", "deleted first")).get("sys_id");
            incident.delete(visible);
            clock.advance(Duration.ofSeconds(1));
            Set<String> restricted = deleteRows(incident, 35);
            // The instance counts 35 audit rows after the visible one, and every page of them comes back empty.
            clocked.faults().hideRows("*", "sys_audit_delete", row -> restricted.contains(row.get("documentkey")));

            EngineRuntime engine = runtime(config(offsets, instance(clocked.baseUrl(), table("incident", topic, 10))));
            try (engine; TopicRecords records = startAndRead(engine, topic)) {
                awaitFreshPoll(engine, "dev", "incident");
                awaitFreshPoll(engine, "dev", "incident");
                assertThat(records.readToEnd()).extracting(TopicRecords::key).containsExactly(visible, visible);
                assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
            }
            List<String> audit = clocked.requestLog().stream().map(RequestLogEntry::pathAndQuery)
                    .filter(p -> p.contains("sys_audit_delete")).toList();
            String startUpCheck = "sys_audit_delete?sysparm_query=tablename%3Dincident&sysparm_limit=1&";
            assertThat(audit).filteredOn(p -> p.contains(startUpCheck)).hasSize(1);
            audit = audit.stream().filter(p -> !p.contains(startUpCheck)).toList();
            long counts = audit.stream().filter(p -> p.contains("sysparm_limit=1&")
                    && !p.contains("sysparm_no_count")).count();
            assertThat(counts).isPositive();
            assertThat(audit.stream().filter(p -> p.contains("sysparm_fields=sys_id&")
                    && !p.contains("sysparm_limit=1&")).count())
                    .as("one read of the sys_ids of the rest after each count (the last poll may be cut short)")
                    .isBetween(counts - 1, counts);
            assertThat(audit).noneMatch(p -> p.contains("sysparm_offset="));
        }
    }

    private static ServiceNowSimulator clockedSimulator(ManualClock clock) {
        return ServiceNowSimulator.builder().port(0)
                .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).clock(clock).build()
                .start();
    }

    /** Inserts and deletes {@code count} rows; returns their {@code sys_id}s. */
    private static Set<String> deleteRows(SimTable table, int count) {
        Set<String> deleted = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String sysId = table.insert(Map.of("short_description", "restricted " + i)).get("sys_id");
            table.delete(sysId);
            deleted.add(sysId);
        }
        return deleted;
    }

    @Test
    void tombstonesCanBeSwitchedOff() {
        String topic = uniqueTopic("no-tombstones");
        SimTable incident = sim.table("incident");
        String id = incident.insert(Map.of("short_description", "x")).get("sys_id");
        incident.delete(id);
        TableConfig table = table("incident", topic, 10).withDeletes(true, false);
        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table)));
        try (engine; TopicRecords records = startAndRead(engine, topic)) {
            awaitFreshPoll(engine, "dev", "incident");
            List<ConsumerRecord<byte[], byte[]>> received = records.readToEnd();
            assertThat(received).hasSize(1);
            assertThat(TopicRecords.value(received.get(0)).get("op").asText()).isEqualTo("d");
        }
    }

    @Test
    void unreadableAuditTableIsReportedAtStartAndInStatusAndHealthWhileRowsStillFlow() {
        String topic = uniqueTopic("audit-denied");
        sim.table("incident").insert(Map.of("short_description", "x"));
        sim.faults().apply("error=403:path=/api/now/table/sys_audit_delete");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger log = (Logger) LoggerFactory.getLogger("io.snkb.bridge.internal.source");
        log.addAppender(logged);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").deletes() == DeleteCapture.NOT_CAPTURED);
            awaitFreshPoll(engine, "dev", "incident");

            TableStatus status = status(engine, "dev", "incident");
            assertThat(status.state()).isEqualTo(EngineState.RUNNING);
            assertThat(status.recordsProduced()).isEqualTo(1);
            assertThat(status.deletesProblem()).contains("sys_audit_delete", "'dev'", "HTTP 403");
            TableHealth health = engine.health().table("dev", "incident").orElseThrow();
            assertThat(health.deletes()).isEqualTo(DeleteCapture.NOT_CAPTURED);
            assertThat(health.deletesProblem()).contains("deletes of incident are not captured");
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("'dev'", "'incident'", "sys_audit_delete"))
                    .as("warned once, not at every poll")
                    .filteredOn(m -> m.contains("sys_audit_delete")).hasSize(1);
            assertThat(sim.requestLog()).as("not asked again at every poll")
                    .filteredOn(r -> r.pathAndQuery().contains("sys_audit_delete")).hasSize(1);
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void unreadableAuditTableIsReportedBeforeTheTablesOwnRowsAreRead() {
        String topic = uniqueTopic("audit-denied-early");
        sim.table("incident").insert(Map.of("short_description", "x"));
        sim.faults().apply("error=403:path=/api/now/table/sys_audit_delete");
        // The table's own reads keep failing, as if a long backlog were being read: deletes come after it.
        sim.faults().apply("error=503:path=/api/now/table/incident");
        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine) {
            assertThat(status(engine, "dev", "incident").deletes()).as("before any read").isEqualTo(
                    DeleteCapture.PENDING);
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").deletes() == DeleteCapture.NOT_CAPTURED);
            assertThat(status(engine, "dev", "incident").recordsProduced()).isZero();
            assertThat(status(engine, "dev", "incident").deletesProblem()).contains("HTTP 403");
        }
    }

    @Test
    void auditRowsAllHiddenByRowLevelAclsAreReportedAsDeletesNotCaptured() {
        String topic = uniqueTopic("audit-all-hidden");
        SimTable incident = sim.table("incident");
        incident.insert(Map.of("short_description", "kept"));
        for (int i = 0; i < 3; i++) {
            incident.delete(incident.insert(Map.of("short_description", "deleted " + i)).get("sys_id"));
        }
        sim.faults().hideRows("*", "sys_audit_delete", row -> true);

        EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table("incident", topic, 10))));
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").deletes() == DeleteCapture.NOT_CAPTURED);
            assertThat(status(engine, "dev", "incident").deletesProblem())
                    .contains("'dev'", "3 rows of incident", "row-level ACLs hide every one");
            long audits = sim.requestLog().stream()
                    .filter(r -> r.pathAndQuery().contains("sys_audit_delete")).count();
            awaitFreshPoll(engine, "dev", "incident");
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(sim.requestLog().stream().filter(r -> r.pathAndQuery().contains("sys_audit_delete")).count())
                    .as("not stepped over again at every poll").isEqualTo(audits);
            assertThat(status(engine, "dev", "incident").state()).isEqualTo(EngineState.RUNNING);
        }
    }

    @Test
    void deletesSwitchedOffAreNeitherReadNorReported() {
        String topic = uniqueTopic("deletes-off");
        sim.table("incident").insert(Map.of("short_description", "x"));
        TableConfig table = table("incident", topic, 10).withDeletes(false, false);
        try (EngineRuntime engine = runtime(config(offsets, instance(sim.baseUrl(), table)))) {
            engine.start();
            awaitFreshPoll(engine, "dev", "incident");
            assertThat(sim.requestLog()).extracting(RequestLogEntry::pathAndQuery)
                    .noneMatch(p -> p.contains("sys_audit_delete"));
            assertThat(status(engine, "dev", "incident").deletes()).isEqualTo(DeleteCapture.DISABLED);
            assertThat(engine.health().table("dev", "incident").orElseThrow().deletesProblem()).isNull();
        }
    }

    private static TopicRecords startAndRead(EngineRuntime engine, String topic) {
        engine.start();
        return new TopicRecords(kafka().bootstrapServers(), topic);
    }
}
