package io.snkb.cli;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.config.HttpConfig;
import io.snkb.metrics.ObservabilityServer;
import java.util.Optional;

/** The metrics registry of a CLI process and its HTTP endpoint, as the {@code http} section configures. */
final class CliMetrics {
    private CliMetrics() {
    }

    /** A Prometheus registry with the JVM's own meters (memory, threads, CPU, uptime, classes) bound. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Serves {@code /metrics}, {@code /health} and {@code /ready} when {@code http.enabled}; the caller closes it. */
    static Optional<ObservabilityServer> serve(HttpConfig http, BridgeEngine engine, PrometheusMeterRegistry registry) {
        if (!http.enabled()) {
            return Optional.empty();
        }
        return Optional.of(ObservabilityServer.start(http.host(), http.port(), engine, registry));
    }
}
