package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.BackfillProgress;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillCommandTest {
    private static final String TOPIC = "cli-backfill-" + System.nanoTime() % 100_000;

    @TempDir
    Path dir;

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user("snkb", "pw", ZoneId.of("UTC")).build().start();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    @Test
    void copiesTheTableWithProgressAndExitsWithZero() throws IOException {
        SimTable incident = sim.table("incident");
        for (int i = 0; i < 45; i++) {
            incident.insert(Map.of("short_description", "row " + i));
        }

        CliRun run = CliRun.of("backfill", "--config", config().toString(), "--instance", "dev",
                "--table", "incident");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("45/45 records").contains("ranges 2/2")
                .contains("Backfill of dev/incident completed: 45 records");
        try (TopicSnapshot topic = new TopicSnapshot(EmbeddedKafka.shared().bootstrapServers(), TOPIC)) {
            // Every record was acknowledged before the command returned: reading them needs no waiting for them.
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (topic.events() < 45 && System.nanoTime() < deadline) {
                topic.poll(Duration.ofMillis(200));
            }
            assertThat(topic.countsByOp()).containsExactly(Map.entry("r", 45L));
        }
    }

    @Test
    void rowsTheIntegrationUserMayNotSeeAreNamedWhenTheCopyEnds() throws IOException {
        SimTable incident = sim.table("incident");
        for (int i = 0; i < 60; i++) {
            incident.insert(Map.of("short_description", i % 6 == 0 ? "open" : "secret"));
        }
        sim.faults().hideRows("*", "incident", "short_description=secret");

        CliRun run = CliRun.of("backfill", "--config", config().toString(), "--instance", "dev",
                "--table", "incident");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Backfill of dev/incident completed: 10 records")
                .contains("50 of the 60 rows the instance counted at the start were not copied: hidden from the "
                        + "integration user by row-level ACLs");
        assertThat(run.out().lines().filter(l -> l.contains("ranges 2/2"))).as("the last progress line")
                .isNotEmpty().noneMatch(l -> l.contains("ETA"));
    }

    @Test
    void progressLineShowsTheBarTheRateAndTheTimeLeft() {
        BackfillProgress progress = new BackfillProgress(BackfillProgress.State.RUNNING, 4, 1, 1200, 1000, 0, 4000,
                Duration.ofSeconds(10), null);

        assertThat(BackfillCommand.line(progress))
                .isEqualTo("[######..................]  1000/4000 records  100/s  ETA 0:30  ranges 1/4");
    }

    @Test
    void rowsHiddenByAclsFillTheBarAndShortenTheTimeLeft() {
        BackfillProgress progress = new BackfillProgress(BackfillProgress.State.RUNNING, 4, 1, 1200, 1000, 1000,
                4000, Duration.ofSeconds(10), null);

        assertThat(BackfillCommand.line(progress))
                .isEqualTo("[############............]  1000/4000 records (1000 hidden)  100/s  ETA 0:20  ranges 1/4");
        assertThat(BackfillCommand.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }

    @Test
    void aTableTheInstanceDoesNotConfigureIsAUsageError() throws IOException {
        CliRun run = CliRun.of("backfill", "--config", config().toString(), "--instance", "dev",
                "--table", "problem");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Table 'problem' is not configured for instance 'dev'");
    }

    @Test
    void anUnreadableTimeIsAUsageError() throws IOException {
        CliRun run = CliRun.of("backfill", "--config", config().toString(), "--instance", "dev",
                "--table", "incident", "--from", "yesterday");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'yesterday' is not a time");
    }

    private Path config() throws IOException {
        Path file = dir.resolve("snkb.yaml");
        Files.writeString(file, String.join("\n",
                "instances:",
                "  - name: dev",
                "    base-url: " + sim.baseUrl(),
                "    auth:",
                "      type: basic",
                "      username: snkb",
                "      password: pw",
                "    tables:",
                "      - name: incident",
                "        topic: " + TOPIC,
                "        page-size: 10",
                "kafka:",
                "  bootstrap-servers: " + EmbeddedKafka.shared().bootstrapServers(),
                "source:",
                "  backfill-concurrency: 2",
                "offsets:",
                "  directory: " + dir.resolve("offsets"),
                ""));
        return file;
    }
}
