package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.auth.BasicTokenProvider;
import io.snkb.bridge.internal.support.StopSignal;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceNowClientWriteTest {
    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user("writer", "pw", ZoneId.of("UTC")).build().start();
    private final ServiceNowClient client = new ServiceNowClient("dev", sim.baseUrl(), Duration.ofSeconds(1),
            Duration.ofSeconds(5), new BasicTokenProvider("dev", "writer", Secret.of("pw")), "snkb-test");
    private final SimTable incidents = sim.table("incident");

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void createsFindsUpdatesAndDeletesRowsWithoutWritingSystemFields() throws Exception {
        Map<String, String> created = client.create("incident", Map.of("correlation_id", "c1",
                "short_description", "disk", "sys_created_by", "forged"));
        String sysId = created.get("sys_id");

        assertThat(created).containsEntry("sys_created_by", "writer").containsEntry("correlation_id", "c1");
        assertThat(client.find("incident", "correlation_id=c1", 2)).extracting(r -> r.get("sys_id"))
                .containsExactly(sysId);
        assertThat(client.update("incident", sysId, Map.of("short_description", "disk full",
                "sys_mod_count", "99", "sys_updated_on", "2000-01-01 00:00:00"))).get()
                .satisfies(r -> assertThat(r).containsEntry("short_description", "disk full")
                        .containsEntry("sys_mod_count", "1"));
        assertThat(client.get("incident", sysId)).get().extracting(r -> r.get("short_description"))
                .isEqualTo("disk full");
        assertThat(client.delete("incident", sysId)).isTrue();
        assertThat(client.delete("incident", sysId)).isFalse();
        assertThat(client.get("incident", sysId)).isEmpty();
        assertThat(client.update("incident", sysId, Map.of("short_description", "gone"))).isEmpty();
    }

    @Test
    void sendsTheWholeBodyAgainOnEveryRetry() throws Exception {
        sim.faults().proxy502(2);
        RetryingCalls calls = new RetryingCalls(client, new RetrySettings(Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofSeconds(5)), new StopSignal());
        AtomicInteger attempts = new AtomicInteger();

        Map<String, String> row = calls.run(() -> client.create("incident",
                Map.of("correlation_id", "c2", "short_description", "retried")), attempts);

        assertThat(attempts).hasValue(3);
        assertThat(incidents.get(row.get("sys_id"))).get()
                .satisfies(r -> assertThat(r).containsEntry("short_description", "retried"));
        assertThat(sim.requestLog()).extracting(RequestLogEntry::status).containsExactly(502, 502, 201);
    }

    @Test
    void aRateLimitSeenByOneCallerHoldsBackEveryCallerOfTheInstance() throws Exception {
        ServiceNowSimulator limited = ServiceNowSimulator.builder().port(0).rateLimit(1, Duration.ofSeconds(3))
                .user("writer", "pw", ZoneId.of("UTC")).build().start();
        try (limited) {
            ServiceNowClient shared = new ServiceNowClient("dev", limited.baseUrl(), Duration.ofSeconds(1),
                    Duration.ofSeconds(5), new BasicTokenProvider("dev", "writer", Secret.of("pw")), "snkb-test");
            RetrySettings retry = new RetrySettings(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5));
            RetryingCalls first = new RetryingCalls(shared, retry, new StopSignal());
            RetryingCalls second = new RetryingCalls(shared, retry, new StopSignal());

            first.run(() -> shared.create("incident", Map.of("correlation_id", "a")));
            Thread waiting = new Thread(() -> {
                try {
                    first.run(() -> shared.create("incident", Map.of("correlation_id", "b")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiting.start();
            // The simulator logs the 429 before the caller has read it: wait until the gate is shut.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> shared.rateLimit().isClosed());
            RequestLogEntry denied = limited.requestLog().stream().filter(e -> e.status() == 429).findFirst()
                    .orElseThrow();
            long secondStarted = System.nanoTime();
            second.run(() -> shared.create("incident", Map.of("correlation_id", "c")));
            waiting.join(10_000);

            long reopened = denied.receivedNanos() + Duration.ofMillis(900).toNanos();
            assertThat(secondStarted).isLessThan(reopened);
            assertThat(limited.requestLog()).as("no caller sends while the Retry-After of the 429 runs")
                    .noneMatch(e -> e.receivedNanos() > secondStarted && e.receivedNanos() < reopened);
            assertThat(limited.table("incident").size()).isEqualTo(3);
        }
    }
}
