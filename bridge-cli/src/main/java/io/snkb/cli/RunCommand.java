package io.snkb.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.EngineState;
import io.snkb.bridge.EngineStatus;
import io.snkb.bridge.TableStatus;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigRenderer;
import io.snkb.bridge.config.Durations;
import io.snkb.metrics.ObservabilityServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code snkb run}: runs every configured table until SIGTERM or Ctrl-C, which drain in-flight records
 * and store positions before the process exits with 0.
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
        requireSomethingToDo(loaded);
        LOG.info("Effective configuration from {}:\n{}", config.file, ConfigRenderer.render(loaded));
        Termination termination = Termination.install();
        PrometheusMeterRegistry registry = CliMetrics.registry();
        BridgeEngine engine = BridgeEngine.builder().config(loaded).meterRegistry(registry).build();
        // Served before the start, so that probes see a starting engine rather than no answer.
        Optional<ObservabilityServer> http = CliMetrics.serve(loaded.http(), engine, registry);
        try {
            return runUntilStopped(engine, loaded, termination);
        } finally {
            http.ifPresent(ObservabilityServer::close);
        }
    }

    private static int runUntilStopped(BridgeEngine engine, BridgeConfig loaded, Termination termination)
            throws InterruptedException {
        boolean stopRequested;
        try {
            stopRequested = termination.interruptible(engine::start);
        } catch (RuntimeException e) {
            engine.close(Duration.ZERO);
            throw e;
        }
        if (stopRequested) {
            LOG.info("Stopped during start-up");
            engine.close(Duration.ZERO);
            return ExitCodes.OK;
        }
        LOG.info("snkb running {} source table(s); stop with SIGTERM or Ctrl-C", engine.status().tables().size());
        while (!termination.await(CHECK_EVERY.toMillis())) {
            if (allTablesFailed(engine.status())) {
                LOG.error("Every table has failed; stopping.{}", failures(engine.status()));
                engine.close(loaded.shutdownTimeout());
                return ExitCodes.RUNTIME_FAILURE;
            }
        }
        return stopGracefully(engine, loaded.shutdownTimeout());
    }

    private static void requireSomethingToDo(BridgeConfig config) {
        nothingToRun(config).ifPresent(problem -> {
            throw new ConfigFileException(problem, null);
        });
    }

    /** Why {@code snkb run} would have nothing to do with {@code config}, if it would not. */
    static Optional<String> nothingToRun(BridgeConfig config) {
        boolean tables = config.source().enabled() && config.instances().stream().anyMatch(i -> !i.tables().isEmpty());
        if (tables || config.sink().enabled()) {
            return Optional.empty();
        }
        return Optional.of("Nothing to run: no instance has tables to read"
                + (config.source().enabled() ? "" : " (source.enabled is false)") + " and the sink is disabled");
    }

    private static int stopGracefully(BridgeEngine engine, Duration timeout) {
        LOG.info("Stopping: draining in-flight records and storing positions (at most {})",
                Durations.format(timeout));
        if (engine.close(timeout)) {
            LOG.info("Stopped cleanly");
            return ExitCodes.OK;
        }
        LOG.warn("Stopped before every record was acknowledged; they are read again on the next start");
        return ExitCodes.RUNTIME_FAILURE;
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
