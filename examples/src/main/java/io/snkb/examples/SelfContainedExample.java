package io.snkb.examples;

import io.snkb.bridge.EngineStatus;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.Seeder;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link EmbeddedBridgeApp} without a ServiceNow instance or a Kafka cluster: it starts the
 * ServiceNow simulator and a Kafka broker inside this JVM, seeds some incidents, and lets the embedded
 * engine copy them into Kafka.
 */
public final class SelfContainedExample {
    private static final Logger LOG = LoggerFactory.getLogger(SelfContainedExample.class);
    private static final String USER = "example.user";
    private static final String PASSWORD = "example-only-password";

    private SelfContainedExample() {
    }

    public static void main(String[] args) throws Exception {
        int incidents = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        EngineStatus status = run(incidents, Duration.ofSeconds(60));
        for (TableStatus table : status.tables()) {
            LOG.info("{}/{}: {} records in Kafka", table.instance(), table.table(), table.recordsProduced());
        }
    }

    /**
     * Seeds {@code incidents} incidents, runs the engine until Kafka acknowledged all of them or
     * {@code timeout} passed, stops it and returns its last status.
     */
    public static EngineStatus run(int incidents, Duration timeout) throws Exception {
        Path work = Files.createTempDirectory("snkb-example");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
             ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
                     .user(USER, PASSWORD, ZoneOffset.UTC).build().start()) {
            Seeder.builder().incidents(incidents).build().seed(sim);
            EmbeddedBridgeApp app = new EmbeddedBridgeApp(config(sim, kafka, work));
            app.start();
            Instant deadline = Instant.now().plus(timeout);
            while (produced(app.status()) < incidents && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            app.report();
            app.stop();
            return app.status();
        }
    }

    private static long produced(EngineStatus status) {
        return status.tables().stream().mapToLong(TableStatus::recordsProduced).sum();
    }

    private static BridgeConfig config(ServiceNowSimulator sim, EmbeddedKafka kafka, Path work) {
        String yaml = String.join("\n",
                "instances:",
                "  - name: example",
                "    base-url: " + sim.baseUrl(),
                "    auth: {type: basic, username: " + USER + ", password: " + PASSWORD + "}",
                "    tables:",
                "      - name: incident",
                "kafka:",
                "  bootstrap-servers: " + kafka.bootstrapServers(),
                "source:",
                "  poll-interval: 200ms",
                "offsets:",
                "  directory: " + work.resolve("offsets"),
                "http:",
                "  enabled: false",
                "");
        return ConfigLoader.parse(yaml, "example configuration");
    }
}
