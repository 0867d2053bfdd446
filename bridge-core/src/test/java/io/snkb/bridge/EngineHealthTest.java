package io.snkb.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineHealthTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aRunningEngineWithoutASinkIsLiveAndReady() {
        EngineHealth health = new EngineHealth(EngineState.RUNNING, NOW, true, null, List.of());

        assertThat(health.sinkEnabled()).isFalse();
        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isTrue();
    }

    @Test
    void aSinkWhoseConsumerStoppedMakesTheEngineNeitherLiveNorReady() {
        EngineHealth consuming = new EngineHealth(EngineState.RUNNING, NOW, true, null, List.of(), true, true);
        EngineHealth stopped = new EngineHealth(EngineState.RUNNING, NOW, true, null, List.of(), true, false);

        assertThat(consuming.live()).isTrue();
        assertThat(consuming.ready()).isTrue();
        assertThat(stopped.live()).isFalse();
        assertThat(stopped.ready()).isFalse();
    }

    @Test
    void aSinkNotStartedYetDoesNotCountAgainstLiveness() {
        EngineHealth starting = new EngineHealth(EngineState.STARTING, NOW, true, null, List.of(), true, false);

        assertThat(starting.live()).isTrue();
        assertThat(starting.ready()).isFalse();
    }

    @Test
    void aSinkTopicWhoseCredentialsAreRefusedMakesTheEngineNotReadyButKeepsItLive() {
        SinkTopicStatus refused = new SinkTopicStatus("alerts", "dev", "incident", EngineState.RETRYING, true,
                "HTTP 401");
        SinkTopicStatus writing = new SinkTopicStatus("deploys", "dev", "change_request", EngineState.RUNNING, false,
                null);
        EngineHealth health = new EngineHealth(EngineState.RUNNING, NOW, true, null, List.of(), true, true,
                List.of(writing, refused));

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();
        assertThat(health.sinkTopic("deploys")).get().extracting(SinkTopicStatus::ready).isEqualTo(true);
    }
}
