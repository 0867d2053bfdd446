package io.snkb.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.EngineStatus;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigRenderer;
import io.snkb.metrics.ObservabilityServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code snkb run}: runs every configured table until SIGTERM or Ctrl-C, which drain in-flight records
 * and store positions before the process exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the bridge: polls every configured ServiceNow table into Kafka.",
            "SIGTERM or Ctrl-C stops it gracefully: in-flight records are acknowledged and positions stored."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        BridgeConfig loaded = config.load();
        LOG.info("Effective configuration from {}:\n{}", config.file, ConfigRenderer.render(loaded));
        PrometheusMeterRegistry registry = CliMetrics.registry();
        BridgeEngine engine = BridgeEngine.builder().config(loaded).meterRegistry(registry).build();
        // Served before the start, so that probes see a starting engine rather than no answer.
        Optional<ObservabilityServer> http = CliMetrics.serve(loaded.http(), engine, registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopGracefully(engine, loaded.shutdownTimeout(), stopped);
            http.ifPresent(ObservabilityServer::close);
        }, "snkb-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            engine.start();
        } catch (RuntimeException e) {
            http.ifPresent(ObservabilityServer::close);
            throw e;
        }
        LOG.info("snkb running {} table(s); stop with SIGTERM or Ctrl-C", engine.status().tables().size());
        while (!stopped.await(CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
            if (allTablesFailed(engine.status())) {
                LOG.error("Every table has failed; stopping. {}", failures(engine.status()));
                Runtime.getRuntime().removeShutdownHook(hook);
                engine.close();
                http.ifPresent(ObservabilityServer::close);
                return ExitCodes.RUNTIME_FAILURE;
            }
        }
        return ExitCodes.OK;
    }

    private static void stopGracefully(BridgeEngine engine, Duration timeout, CountDownLatch stopped) {
        LOG.info("Stopping: draining in-flight records and storing positions (at most {})", timeout);
        boolean drained = engine.close(timeout);
        LOG.info(drained ? "Stopped cleanly" : "Stopped before every record was acknowledged; "
                + "they are read again on the next start");
        stopped.countDown();
    }

    private static boolean allTablesFailed(EngineStatus status) {
        return !status.tables().isEmpty()
                && status.tables().stream().allMatch(t -> t.state() == EngineState.FAILED);
    }

    private static String failures(EngineStatus status) {
        StringBuilder text = new StringBuilder();
        for (TableStatus table : status.tables()) {
            text.append(System.lineSeparator()).append("  ").append(table.instance()).append('/')
                    .append(table.table()).append(": ").append(table.lastError());
        }
        return text.toString();
    }
}
