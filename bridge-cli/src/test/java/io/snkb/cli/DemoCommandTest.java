package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void demoReplaysTheWholeHistoryAndEveryKeyInKafkaMatchesTheSimulator() {
        CliRun run = CliRun.of("demo", "--rate", "5000", "--timeout", "60s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains("Replaying 5998 changes of 890 incidents")
                .containsPattern("keys in the simulator's incident table\\s+890")
                .containsPattern("keys in Kafka \\(latest event per key\\)\\s+890")
                .containsPattern("matching field by field\\s+890")
                .containsPattern("missing from Kafka\\s+0")
                .contains("Every key matches.")
                .containsPattern("Metrics at http://127\\.0\\.0\\.1:\\d+/metrics")
                .containsPattern("/metrics: bridge_records_produced_total (\\d+), events in Kafka \\1\\R");
    }

    @Test
    void aRateBelowOneIsAUsageError() {
        CliRun run = CliRun.of("demo", "--rate", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--rate");
    }
}
