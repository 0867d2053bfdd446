package io.snkb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void movesOnlyWhenToldAndSharesTimeAcrossZones() {
        ManualClock clock = ManualClock.at("2024-01-01T00:00:00Z");
        var paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(90));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2024-01-01T01:30:00Z"));
        assertThat(paris.instant()).isEqualTo(clock.instant());
        clock.set(Instant.EPOCH);
        assertThat(paris.millis()).isZero();
    }
}
