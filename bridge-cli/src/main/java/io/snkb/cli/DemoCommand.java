package io.snkb.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import io.snkb.metrics.ObservabilityServer;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.IncidentHistoryReplay;
import io.snkb.testkit.servicenow.ReplayOptions;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snkb demo}: the whole source path on embedded parts. It starts a real Kafka broker in this JVM
 * and the ServiceNow simulator, replays the real incident history into the simulator while the bridge
 * polls it, and ends by comparing Kafka's latest event per key with the simulator's table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the bridge end to end on an embedded Kafka broker and the ServiceNow simulator.",
            "Replays real, anonymized ServiceNow incident history (5,998 changes of 890 incidents; UCI data set",
            "498, CC BY 4.0) while the bridge runs, then compares Kafka with the simulator's incident table."})
final class DemoCommand implements Callable<Integer> {
    private static final String USER = "snkb.demo";
    private static final String TOPIC = "servicenow.demo.incident";
    private static final String ALERTS = "demo.alerts";
    /** Monitoring alerts: three alerts, the first raised again with a worse reading. */
    private static final List<String> ALERT_RECORDS = List.of(
            "{\"correlation_id\":\"demo-alert-1\",\"short_description\":\"Disk 91% full on db-01\",\"urgency\":\"2\"}",
            "{\"correlation_id\":\"demo-alert-2\",\"short_description\":\"API p99 above 2 s\",\"urgency\":\"2\"}",
            "{\"correlation_id\":\"demo-alert-1\",\"short_description\":\"Disk 97% full on db-01\",\"urgency\":\"1\"}",
            "{\"correlation_id\":\"demo-alert-3\",\"short_description\":\"Certificate expires in 3 days 🔒\"}");
    /** The simulator's demo user exists only inside this process. */
    private static final String PASSWORD = "demo-only-password";

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "EVENTS_PER_SECOND",
            description = "How fast the history is replayed, in changes per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--delete", defaultValue = "10", paramLabel = "N",
            description = "Closed incidents deleted after the replay, as a retention job would; Kafka must drop "
                    + "them too (default: ${DEFAULT-VALUE}).")
    int delete;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Replay this incident event log instead of the bundled one.")
    Path csv;

    @Option(names = "--timeout", defaultValue = "120s", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to wait, after the replay, for Kafka to match the simulator "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The history in {@code file}, or a usage error saying why it cannot be replayed. */
    private IncidentHistoryReplay fromCsv(Path file) {
        IncidentHistoryReplay history;
        try {
            history = IncidentHistoryReplay.fromCsv(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--csv " + file + " is not an incident "
                    + "event log like incident_event_log.csv: " + e.getMessage());
        }
        if (history.totalEvents() == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--csv " + file + " holds no incident "
                    + "events: it needs the header and rows of incident_event_log.csv (number, sys_updated_on, ...)");
        }
        return history;
    }

    @Override
    public Integer call() throws Exception {
        if (rate < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be at least 1");
        }
        if (delete < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--delete must not be negative");
        }
        if (csv != null && !Files.isRegularFile(csv)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--csv " + csv + ": "
                    + (Files.exists(csv) ? "not a regular file" : "no such file"));
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("snkb-demo");
        IncidentHistoryReplay history = csv == null ? IncidentHistoryReplay.bundled() : fromCsv(csv);
        out.println("Starting an embedded Kafka broker and the ServiceNow simulator ...");
        out.flush();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(work.resolve("kafka")).build().start();
             ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
                     .user(USER, PASSWORD, ZoneOffset.UTC).build().start()) {
            out.printf("Kafka at %s, ServiceNow simulator at %s%n", kafka.bootstrapServers(), sim.baseUrl());
            kafka.createTopic(ALERTS, 1);
            BridgeConfig config = ConfigLoader.parse(demoConfig(sim, kafka, work), "demo configuration");
            PrometheusMeterRegistry registry = CliMetrics.registry();
            try (BridgeEngine engine = BridgeEngine.builder().config(config).meterRegistry(registry).build();
                 ObservabilityServer http = CliMetrics.serve(config.http(), engine, registry).orElseThrow();
                 TopicSnapshot topic = new TopicSnapshot(kafka.bootstrapServers(), TOPIC)) {
                out.printf("Metrics at %s/metrics, health at %s/health and %s/ready%n", http.baseUri(),
                        http.baseUri(), http.baseUri());
                engine.start();
                int code = replayAndCompare(out, history, sim, kafka.bootstrapServers(), topic, registry);
                return MetricsCheck.print(out, http.baseUri(), topic) && code == ExitCodes.OK ? code
                        : ExitCodes.RUNTIME_FAILURE;
            }
        } finally {
            DemoFiles.deleteRecursively(work);
        }
    }

    private int replayAndCompare(PrintWriter out, IncidentHistoryReplay history, ServiceNowSimulator sim,
                                 String kafkaServers, TopicSnapshot topic, PrometheusMeterRegistry registry)
            throws Exception {
        out.printf("Replaying %d changes of %d incidents at %d per second while the bridge polls ...%n",
                history.totalEvents(), history.distinctIncidents(), rate);
        Progress progress = Progress.forTerminal(out);
        // Rows are stamped with the simulator's clock as ServiceNow stamps a commit: replayed at a thousand
        // changes a second, the history's own times would put minutes of history between two commits that
        // are milliseconds apart, which no real instance does.
        long started = System.nanoTime();
        var replay = history.replayInto(sim, ReplayOptions.rate(rate).stampedByClock());
        while (!replay.done().isDone()) {
            topic.poll(Duration.ofMillis(250));
            progress.show(line(replay.applied(), history.totalEvents(), topic, null)
                    + pace(replay.applied(), history.totalEvents(), started) + lag(registry));
        }
        replay.done().get();
        int deleted = deleteClosedIncidents(sim, delete);
        out.printf("%nDeleted %d closed incidents in the simulator; their delete events must reach Kafka.%n", deleted);
        sendAlerts(out, kafkaServers, sim);
        Instant deadline = Instant.now().plus(timeout);
        Comparison comparison = Comparison.of(sim.table("incident").rows(), topic.latest());
        while (!comparison.allMatch() && Instant.now().isBefore(deadline)) {
            topic.poll(Duration.ofMillis(250));
            comparison = Comparison.of(sim.table("incident").rows(), topic.latest());
            progress.show(line(replay.applied(), history.totalEvents(), topic, comparison) + lag(registry));
        }
        progress.show(line(replay.applied(), history.totalEvents(), topic, comparison) + lag(registry));
        progress.done();
        out.println();
        comparison.print(out);
        out.flush();
        return comparison.allMatch() ? ExitCodes.OK : ExitCodes.RUNTIME_FAILURE;
    }

    /**
     * Sends monitoring alerts to the sink's topic, which upserts them into incidents by correlation id; the
     * incidents then come out of the source like any change and take part in the final comparison.
     */
    private static void sendAlerts(PrintWriter out, String kafkaServers, ServiceNowSimulator sim)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaServers);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String alert : ALERT_RECORDS) {
                String key = alert.substring(alert.indexOf("demo-alert-"), alert.indexOf("demo-alert-") + 12);
                producer.send(new ProducerRecord<>(ALERTS, key, alert)).get();
            }
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        long written = 0;
        while (Instant.now().isBefore(deadline)) {
            written = sim.table("incident").rows().stream()
                    .filter(row -> String.valueOf(row.get("correlation_id")).startsWith("demo-alert-")).count();
            if (written == 3 && sim.table("incident").findBy("correlation_id", "demo-alert-1")
                    .map(row -> row.get("short_description").startsWith("Disk 97%")).orElse(false)) {
                break;
            }
            Thread.sleep(100);
        }
        out.printf("Sent %d alerts to %s; the sink upserted them by correlation id into %d incidents, which the "
                + "source sends to Kafka like any other change.%n", ALERT_RECORDS.size(), ALERTS, written);
    }

    /** Deletes up to {@code count} closed incidents, the longest untouched first; returns how many. */
    private static int deleteClosedIncidents(ServiceNowSimulator sim, int count) {
        List<String> oldestClosed = sim.table("incident").rows().stream()
                .filter(row -> "Closed".equals(row.get("incident_state")))
                .sorted(Comparator.comparing((Map<String, String> row) -> row.get("sys_updated_on"))
                        .thenComparing(row -> row.get("sys_id")))
                .limit(count)
                .map(row -> row.get("sys_id"))
                .toList();
        oldestClosed.forEach(sysId -> sim.table("incident").delete(sysId));
        return oldestClosed.size();
    }

    /** The replay's rate so far and the time it still needs at that rate. */
    private static String pace(long applied, long total, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (applied == 0 || seconds <= 0) {
            return "";
        }
        double perSecond = applied / seconds;
        return String.format("  %.0f/s, ETA %.0f s", perSecond, (total - applied) / perSecond);
    }

    private static String lag(PrometheusMeterRegistry registry) {
        Gauge lag = registry.find("bridge.offset.lag").gauge();
        return lag == null ? "" : String.format("  lag %.1f s", lag.value());
    }

    private static String line(long applied, long total, TopicSnapshot topic, Comparison comparison) {
        Map<String, Long> ops = topic.countsByOp();
        String matching = comparison == null ? "" : String.format("  matching %d/%d", comparison.matching(),
                comparison.simulatorKeys());
        return String.format("replayed %d/%d  in Kafka %d events (c %d, u %d, d %d), %d keys%s",
                applied, total, topic.events(), ops.getOrDefault("c", 0L), ops.getOrDefault("u", 0L),
                ops.getOrDefault("d", 0L), topic.latest().size(), matching);
    }

    private static String demoConfig(ServiceNowSimulator sim, EmbeddedKafka kafka, Path work) {
        return String.join("\n",
                "instances:",
                "  - name: demo",
                "    base-url: " + sim.baseUrl(),
                "    auth:",
                "      type: basic",
                "      username: " + USER,
                "      password: " + PASSWORD,
                "    tables:",
                "      - name: incident",
                "        topic: " + TOPIC,
                "kafka:",
                "  bootstrap-servers: " + kafka.bootstrapServers(),
                "source:",
                "  poll-interval: 500ms",
                "  page-size: 500",
                "sink:",
                "  enabled: true",
                "  topics:",
                "    - topic: " + ALERTS,
                "      instance: demo",
                "      table: incident",
                "      key-fields: [correlation_id]",
                "offsets:",
                "  directory: " + work.resolve("offsets"),
                "http:",
                "  enabled: true",
                "  host: 127.0.0.1",
                "  port: 0",
                "");
    }
}
