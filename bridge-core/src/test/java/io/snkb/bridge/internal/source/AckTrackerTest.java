package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.spi.Position;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AckTrackerTest {
    private static final Instant T0 = Instant.parse("2024-03-05T07:00:00Z");

    private static Position at(int second, String sysId) {
        return new Position(T0.plusSeconds(second), sysId);
    }

    @Test
    void positionStaysAtTheBaseUntilSomethingIsAcknowledged() {
        AckTracker tracker = new AckTracker(at(0, "base"));
        tracker.register(at(1, "a"));
        assertThat(tracker.committable()).isEqualTo(at(0, "base"));
        assertThat(new AckTracker(null).committable()).isNull();
    }

    @Test
    void aScanMayReadOnOnceFewEnoughRecordsAwaitKafka() throws InterruptedException {
        AckTracker tracker = new AckTracker(null);
        AckTracker.Pending a = tracker.register(at(1, "a"));
        AckTracker.Pending b = tracker.register(at(1, "b"));
        tracker.register(at(2, "c"));
        assertThat(tracker.awaitInFlightAtMost(1, Duration.ofMillis(20))).isFalse();

        Thread acknowledger = new Thread(() -> {
            b.acknowledged();
            a.acknowledged();
        });
        acknowledger.start();
        assertThat(tracker.awaitInFlightAtMost(1, Duration.ofSeconds(10))).isTrue();
        assertThat(tracker.inFlight()).isEqualTo(1);
        acknowledger.join();
    }

    @Test
    void earlyAcknowledgementWaitsForEverythingSentBefore() {
        AckTracker tracker = new AckTracker(null);
        AckTracker.Pending a = tracker.register(at(1, "a"));
        AckTracker.Pending b = tracker.register(at(1, "b"));
        AckTracker.Pending c = tracker.register(at(2, "c"));

        c.acknowledged();
        assertThat(tracker.committable()).isNull();
        a.acknowledged();
        assertThat(tracker.committable()).isEqualTo(at(1, "a"));
        b.acknowledged();
        assertThat(tracker.committable()).isEqualTo(at(2, "c"));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void lateRowInFlightHoldsThePositionBeforeItsSecond() {
        AckTracker tracker = new AckTracker(at(5, "z"));
        AckTracker.Pending late = tracker.register(at(3, "m"));
        assertThat(tracker.committable()).isEqualTo(at(3, ""));
        late.acknowledged();
        assertThat(tracker.committable()).isEqualTo(at(5, "z"));
    }

    @Test
    void failedRecordBlocksThePositionAndIsReported() {
        AckTracker tracker = new AckTracker(null);
        AckTracker.Pending a = tracker.register(at(1, "a"));
        AckTracker.Pending b = tracker.register(at(2, "b"));
        AckTracker.Pending c = tracker.register(at(3, "c"));
        a.acknowledged();
        b.failed(new IllegalStateException("broker gone"));
        c.acknowledged();
        assertThat(tracker.committable()).isEqualTo(at(1, "a"));
        assertThat(tracker.failure()).hasMessage("broker gone");
    }

    @Test
    void waitingEndsWhenEverythingIsAcknowledged() throws InterruptedException {
        AckTracker tracker = new AckTracker(null);
        AckTracker.Pending a = tracker.register(at(1, "a"));
        assertThat(tracker.awaitAcknowledged(Duration.ofMillis(20))).isFalse();
        Thread acker = new Thread(a::acknowledged);
        acker.start();
        assertThat(tracker.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
        acker.join();
    }

    @Test
    void outcomeReportedTwiceCountsOnce() {
        AckTracker tracker = new AckTracker(null);
        AckTracker.Pending a = tracker.register(at(1, "a"));
        a.acknowledged();
        a.failed(new IllegalStateException("late"));
        assertThat(tracker.failure()).isNull();
        assertThat(tracker.committable()).isEqualTo(at(1, "a"));
    }

    @Test
    void settledCountsFailuresAsOutcomes() throws InterruptedException {
        AckTracker tracker = new AckTracker(null);
        AckTracker.Pending a = tracker.register(at(1, "a"));
        AckTracker.Pending b = tracker.register(at(2, "b"));
        b.failed(new IllegalStateException("too large"));
        assertThat(tracker.awaitSettled(Duration.ofMillis(10))).isFalse();
        a.acknowledged();
        assertThat(tracker.awaitSettled(Duration.ofMillis(10))).isTrue();
        assertThat(tracker.committable()).isEqualTo(at(1, "a"));
    }
}
