package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.awaitFreshPoll;
import static io.snkb.bridge.internal.SourceTestSupport.config;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.kafka;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.config.TableConfig;
import io.snkb.testkit.ManualClock;
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

class ReconciliationTest {
    private final ManualClock simClock = ManualClock.at("2024-03-05T07:00:00Z");
    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user(SourceTestSupport.USER, SourceTestSupport.PASSWORD, ZoneId.of("UTC")).clock(simClock)
            .build().start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @TempDir
    Path offsets;

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private EngineRuntime engine(String topic) {
        TableConfig table = table("incident", topic, 10).withReconciliation(Duration.ofMillis(200), Duration.ofDays(1));
        return new EngineRuntime(config(offsets, instance(sim.baseUrl(), table)), null, Map.of(), null, null,
                Clock.systemUTC(), SourceTestSupport.FAST, registry);
    }

    private double differences(String kind) {
        var counter = registry.find("bridge.reconciliation.differences").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void changeThatDidNotTouchSysUpdatedOnIsCaughtByReconciliation() {
        String topic = uniqueTopic("reconcile");
        SimTable incident = sim.table("incident");
        String quiet = incident.insert(Map.of("short_description", "changed quietly", "state", "1")).get("sys_id");
        simClock.advance(Duration.ofHours(1));
        incident.insert(Map.of("short_description", "moves the cursor an hour on"));

        EngineRuntime engine = engine(topic);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 2);
            // Far behind the cursor and its re-read window; only the mod count tells.
            incident.updateKeepingUpdatedOn(quiet, Map.of("state", "7"));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 3);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> all = records.readToEnd();
                assertThat(all).hasSize(3);
                JsonNode resent = TopicRecords.value(all.get(2));
                assertThat(TopicRecords.key(all.get(2))).isEqualTo(quiet);
                assertThat(resent.at("/after/state").asText()).isEqualTo("7");
                assertThat(resent.at("/after/sys_mod_count").asText()).isEqualTo("1");
                assertThat(resent.at("/source/read_mode").asText()).isEqualTo("reconcile");
            }
            assertThat(differences("changed")).isEqualTo(1);
            assertThat(differences("deleted")).isZero();
        }
    }

    @Test
    void changeWithoutSysUpdatedOnInARowAfterAWholePageOfHiddenRowsIsFound() {
        String topic = uniqueTopic("reconcile-hidden");
        SimTable incident = sim.table("incident");
        insertHiddenPage(incident);
        String quiet = incident.insert(Map.of("short_description", "changed quietly", "state", "1")).get("sys_id");
        simClock.advance(Duration.ofHours(1));
        incident.insert(Map.of("short_description", "moves the cursor an hour on"));

        EngineRuntime engine = engine(topic);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 2);
            incident.updateKeepingUpdatedOn(quiet, Map.of("state", "7"));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 3);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> all = records.readToEnd();
                assertThat(all).hasSize(3);
                assertThat(TopicRecords.key(all.get(2))).isEqualTo(quiet);
                assertThat(TopicRecords.value(all.get(2)).at("/after/state").asText()).isEqualTo("7");
            }
            assertThat(differences("changed")).isEqualTo(1);
            assertThat(differences("deleted")).isZero();
        }
    }

    @Test
    void rowsAfterAWholePageOfHiddenRowsAreNotReportedDeletedWhileAPurgedOneIs() {
        String topic = uniqueTopic("reconcile-hidden-gone");
        SimTable incident = sim.table("incident");
        insertHiddenPage(incident);
        List<String> kept = List.of(incident.insert(Map.of("short_description", "kept")).get("sys_id"),
                incident.insert(Map.of("short_description", "kept too")).get("sys_id"));
        String purged = incident.insert(Map.of("short_description", "purged")).get("sys_id");

        EngineRuntime engine = engine(topic);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 3);
            incident.purge(purged);

            await().atMost(Duration.ofSeconds(10)).until(() -> differences("deleted") == 1);
            long passes = reconciliationPasses();
            await().atMost(Duration.ofSeconds(10)).until(() -> reconciliationPasses() >= passes + 2);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> all = records.readToEnd();
                assertThat(all).filteredOn(r -> "d".equals(TopicRecords.header(r, "snkb.op")))
                        .extracting(TopicRecords::key).containsExactly(purged, purged);
                assertThat(all).extracting(TopicRecords::key).containsAll(kept);
            }
            assertThat(differences("deleted")).isEqualTo(1);
        }
    }

    /**
     * A page and a bit of rows the integration user may not see, a second before the rows inserted next: with
     * pages of 10 the first page of the table comes back empty.
     */
    private void insertHiddenPage(SimTable incident) {
        for (int i = 0; i < 12; i++) {
            incident.insert(Map.of("short_description", "secret " + i));
        }
        sim.faults().hideRows("*", "incident", "short_descriptionSTARTSWITHsecret");
        simClock.advance(Duration.ofSeconds(1));
    }

    /** Reconciliation passes begun: each starts with a page of keys only. */
    private long reconciliationPasses() {
        return sim.requestLog().stream().map(r -> r.pathAndQuery())
                .filter(p -> p.contains("sys_mod_count") && !p.contains("sys_idIN") && !p.contains("sysparm_offset"))
                .filter(p -> p.contains("sys_updated_on%3E%3D") || p.contains("sys_updated_on>="))
                .count();
    }

    @Test
    void rowGoneWithoutAnAuditRecordIsDeletedByReconciliation() {
        String topic = uniqueTopic("reconcile-gone");
        SimTable incident = sim.table("incident");
        String purged = incident.insert(Map.of("short_description", "purged")).get("sys_id");
        String audited = incident.insert(Map.of("short_description", "deleted with an audit record")).get("sys_id");
        incident.insert(Map.of("short_description", "stays"));

        EngineRuntime engine = engine(topic);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 3);
            incident.purge(purged);
            incident.delete(audited);

            await().atMost(Duration.ofSeconds(10)).until(() -> differences("deleted") == 1);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> deletes = records.readToEnd().stream()
                        .filter(r -> "d".equals(TopicRecords.header(r, "snkb.op"))).toList();
                assertThat(deletes).extracting(TopicRecords::key)
                        .containsExactlyInAnyOrder(purged, purged, audited, audited);
                assertThat(deletes).filteredOn(r -> r.value() != null)
                        .extracting(r -> TopicRecords.value(r).at("/source/read_mode").asText())
                        .containsExactlyInAnyOrder("reconcile", "audit");
            }
            assertThat(differences("deleted")).as("the audited delete is not reported twice").isEqualTo(1);
        }
    }

    @Test
    void rowDeletedBetweenTheDeleteReadAndReconciliationIsDeletedOnceFromItsAuditRecord() {
        String topic = uniqueTopic("reconcile-audited");
        SimTable incident = sim.table("incident");
        String audited = incident.insert(Map.of("short_description", "deleted mid-cycle")).get("sys_id");
        incident.insert(Map.of("short_description", "stays"));

        EngineRuntime engine = engine(topic);
        try (engine) {
            engine.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 2);
            // Every read of the table now waits, reconciliation's too: a cycle outlasts the reconcile interval,
            // and the row can be deleted after a cycle read sys_audit_delete, before its reconciliation reads.
            sim.faults().apply("latency=1500ms:path=/api/now/table/incident");
            int mark = sim.requestLog().size();
            await().atMost(Duration.ofSeconds(15)).until(() -> auditReadsEndedSince(mark) >= 1);
            incident.delete(audited);

            await().atMost(Duration.ofSeconds(15)).until(() -> sim.requestLog().stream()
                    .anyMatch(e -> e.pathAndQuery().contains("documentkeyIN" + audited)));
            sim.faults().clear();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> status(engine, "dev", "incident").recordsProduced() == 4);
            awaitFreshPoll(engine, "dev", "incident");
            try (TopicRecords records = new TopicRecords(kafka().bootstrapServers(), topic)) {
                List<ConsumerRecord<byte[], byte[]>> deletes = records.readToEnd().stream()
                        .filter(r -> "d".equals(TopicRecords.header(r, "snkb.op"))).toList();
                assertThat(deletes).extracting(TopicRecords::key).containsExactly(audited, audited);
                assertThat(TopicRecords.value(deletes.get(0)).at("/source/read_mode").asText()).isEqualTo("audit");
            }
            assertThat(differences("deleted")).isZero();
        }
    }

    /**
     * Cycles whose reads of sys_audit_delete ended since {@code mark}: the last of them asks how many audit rows
     * follow the empty page (the one request without {@code sysparm_no_count}). A row deleted before that
     * count would still be found by the deletes stream.
     */
    private long auditReadsEndedSince(int mark) {
        return sim.requestLog().stream().skip(mark).map(e -> e.pathAndQuery())
                .filter(p -> p.contains("/sys_audit_delete") && !p.contains("documentkeyIN")
                        && !p.contains("sysparm_no_count")).count();
    }
}
