package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void demoReplaysTheHistoryDeletesSomeWritesAlertsAndEveryKeyInKafkaMatchesTheSimulator() {
        CliRun run = CliRun.of("demo", "--rate", "5000", "--timeout", "60s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains("Replaying 5998 changes of 890 incidents")
                .contains("Deleted 10 closed incidents in the simulator")
                .contains("Sent 4 alerts to demo.alerts; the sink upserted them by correlation id into 3 incidents")
                .containsPattern("keys in the simulator's incident table\\s+883")
                .containsPattern("keys in Kafka \\(latest event per key\\)\\s+883")
                .containsPattern("matching field by field\\s+883")
                .containsPattern("in Kafka but not in the simulator\\s+0")
                .containsPattern("d 10\\), 883 keys")
                .containsPattern("missing from Kafka\\s+0")
                .contains("Every key matches.")
                .containsPattern("Metrics at http://127\\.0\\.0\\.1:\\d+/metrics")
                .containsPattern("/metrics: bridge_records_produced_total (\\d+), records in Kafka \\1 "
                        + "\\(\\d+ events, 10 tombstones\\)\\R");
    }

    @Test
    void aRateBelowOneIsAUsageError() {
        CliRun run = CliRun.of("demo", "--rate", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--rate");
    }

    @Test
    void aMissingCsvIsAUsageErrorNamingTheFile() {
        CliRun run = CliRun.of("demo", "--csv", "/no/such/incident_event_log.csv");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--csv /no/such/incident_event_log.csv: no such file");
    }

    @Test
    void aCsvWithoutIncidentEventsIsAUsageError(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");

        CliRun run = CliRun.of("demo", "--csv", csv.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--csv " + csv, "incident_event_log.csv");
    }
}
