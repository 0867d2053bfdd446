package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.DeleteCapture;
import io.snkb.bridge.internal.metrics.EngineMeters;
import io.snkb.bridge.internal.metrics.TableMetrics.PollOutcome;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TableProgressTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TableProgress progress = new TableProgress(PositionKey.records("dev", "incident"), "topic",
            new EngineMeters(registry).table("dev", "incident"));

    @Test
    void deletesGaugeIsZeroOnlyWhileDeletesAreKnownNotToBeCaptured() {
        progress.registerDeletesGauge();
        assertThat(progress.deletes()).isEqualTo(DeleteCapture.PENDING);
        assertThat(gauge("bridge.deletes.captured")).as("not read yet").isEqualTo(1.0);

        progress.deletes(DeleteCapture.NOT_CAPTURED, "sys_audit_delete: HTTP 403");
        assertThat(gauge("bridge.deletes.captured")).isZero();

        progress.deletes(DeleteCapture.DISABLED, null);
        assertThat(gauge("bridge.deletes.captured")).as("switched off knowingly").isEqualTo(1.0);

        progress.deletes(DeleteCapture.PENDING, null);
        progress.failed("HTTP 400: Invalid table");
        assertThat(progress.deletes()).isEqualTo(DeleteCapture.NOT_CAPTURED);
        assertThat(progress.deletesProblem()).contains("the table failed");
        assertThat(gauge("bridge.deletes.captured")).isZero();
    }

    @Test
    void shortPageFollowedByMoreRowsCountsHiddenRowsButAShortLastPageDoesNot() {
        progress.pollStarted();
        progress.pageRead(3, 5);
        progress.pageRead(5, 5);
        progress.pageRead(4, 5);
        progress.pageRead(0, 5);

        assertThat(counter("bridge.rows.hidden")).isEqualTo(2.0);
        assertThat(counter("bridge.records.read")).isEqualTo(12.0);
    }

    @Test
    void aShortPageOfAFailedPollSaysNothingAboutTheNextPoll() {
        progress.pageRead(1, 5);
        progress.pollStarted();
        progress.pageRead(5, 5);

        assertThat(counter("bridge.rows.hidden")).isZero();
    }

    @Test
    void lagCountsFromPollingStartUntilAPositionOrACaughtUpPollIsKnown() {
        progress.pollingSince(T0);
        assertThat(progress.lagSeconds(T0.plusSeconds(30))).isEqualTo(30.0);

        progress.storedPosition(new Position(T0.plusSeconds(10), "a"));
        assertThat(progress.lagSeconds(T0.plusSeconds(30))).isEqualTo(20.0);

        progress.pollEnded(T0.plusSeconds(25), Duration.ofMillis(40), PollOutcome.CAUGHT_UP);
        assertThat(progress.lagSeconds(T0.plusSeconds(30))).isEqualTo(5.0);
        assertThat(progress.lagSeconds(T0.plusSeconds(25))).isZero();
    }

    @Test
    void failedPollsDoNotMoveTheLagReference() {
        progress.pollingSince(T0);
        progress.pollEnded(T0, Duration.ofMillis(40), PollOutcome.CAUGHT_UP);
        progress.pollEnded(T0.plusSeconds(60), Duration.ofSeconds(5), PollOutcome.FAILED);
        progress.pollEnded(T0.plusSeconds(90), Duration.ofSeconds(5), PollOutcome.UNACKNOWLEDGED);

        assertThat(progress.lagSeconds(T0.plusSeconds(120))).isEqualTo(120.0);
        assertThat(registry.get("bridge.poll.duration").tag("outcome", "failed").timer().count()).isEqualTo(1);
    }

    @Test
    void aClockBehindTheInstanceNeverMakesTheLagNegative() {
        progress.storedPosition(new Position(T0.plusSeconds(5), "a"));
        assertThat(progress.lagSeconds(T0)).isZero();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
