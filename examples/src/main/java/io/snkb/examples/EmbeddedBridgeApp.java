package io.snkb.examples;

import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.EngineStatus;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host application embedding the bridge: it loads a configuration, builds the engine through the
 * public builder, starts it, reports each table's status while it runs, and closes it gracefully when the
 * JVM is asked to stop.
 *
 * <pre>
 * java -cp examples/target/examples.jar:... io.snkb.examples.EmbeddedBridgeApp snkb.yaml
 * </pre>
 *
 * <p>{@link SelfContainedExample} runs this same code against the ServiceNow simulator and an embedded
 * Kafka broker, for trying it without either.
 */
public final class EmbeddedBridgeApp {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBridgeApp.class);

    private final BridgeEngine engine;

    public EmbeddedBridgeApp(BridgeConfig config) {
        this.engine = BridgeEngine.builder().config(config).build();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedBridgeApp CONFIG.yaml");
            System.exit(2);
        }
        EmbeddedBridgeApp app = new EmbeddedBridgeApp(ConfigLoader.load(Path.of(args[0])));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            stopped.countDown();
        }, "example-shutdown"));
        app.start();
        while (!stopped.await(10, TimeUnit.SECONDS)) {
            app.report();
        }
    }

    /** Starts the engine; its tables are polled on the engine's own threads from here on. */
    public void start() {
        engine.start();
    }

    /** The engine's current status, as a host application would expose it. */
    public EngineStatus status() {
        return engine.status();
    }

    /** Logs one line per table. */
    public void report() {
        for (TableStatus table : engine.status().tables()) {
            LOG.info("{}/{} {} produced={} position={} error={}", table.instance(), table.table(), table.state(),
                    table.recordsProduced(), table.position(), table.lastErrorIfAny().orElse("none"));
        }
    }

    /** Stops the engine: in-flight records are acknowledged and positions stored, within 30 seconds. */
    public boolean stop() {
        return engine.close(Duration.ofSeconds(30));
    }
}
