package io.snkb.bridge.internal;

import io.snkb.bridge.internal.source.PollerSettings;
import io.snkb.bridge.internal.support.EngineThreads;
import java.time.Duration;
import java.util.Objects;

/**
 * Engine tuning that the configuration file does not expose, with production defaults; tests shorten
 * the waits. Immutable.
 *
 * @param pollers      retry, dedupe and acknowledgement settings of the pollers
 * @param topicTimeout how long start-up may take to check and create topics
 * @param threads      creates the engine's named threads
 */
public record EngineOptions(PollerSettings pollers, Duration topicTimeout, EngineThreads threads) {

    public static final EngineOptions DEFAULT =
            new EngineOptions(PollerSettings.DEFAULT, Duration.ofSeconds(30), EngineThreads.platform());

    public EngineOptions {
        Objects.requireNonNull(pollers, "pollers");
        Objects.requireNonNull(topicTimeout, "topicTimeout");
        Objects.requireNonNull(threads, "threads");
    }

    public EngineOptions withPollers(PollerSettings newPollers) {
        return new EngineOptions(newPollers, topicTimeout, threads);
    }

    public EngineOptions withThreads(EngineThreads newThreads) {
        return new EngineOptions(pollers, topicTimeout, newThreads);
    }
}
