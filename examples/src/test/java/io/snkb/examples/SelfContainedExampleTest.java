package io.snkb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.EngineState;
import io.snkb.bridge.EngineStatus;
import io.snkb.bridge.TableStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SelfContainedExampleTest {

    @Test
    void embeddedEngineCopiesEverySeededIncidentIntoKafkaAndStopsCleanly() throws Exception {
        EngineStatus status = SelfContainedExample.run(50, Duration.ofSeconds(30));

        assertThat(status.state()).isEqualTo(EngineState.STOPPED);
        TableStatus incident = status.table("example", "incident").orElseThrow();
        assertThat(incident.recordsProduced()).isEqualTo(50);
        assertThat(incident.position()).isNotNull();
        assertThat(incident.lastError()).isNull();
    }
}
