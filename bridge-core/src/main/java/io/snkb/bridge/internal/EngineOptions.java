package io.snkb.bridge.internal;

import io.snkb.bridge.internal.sink.SinkSettings;
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
 * @param sink         retry, commit and queue settings of the sink
 */
public record EngineOptions(PollerSettings pollers, Duration topicTimeout, EngineThreads threads,
                            SinkSettings sink) {

    public static final EngineOptions DEFAULT = new EngineOptions(PollerSettings.DEFAULT, Duration.ofSeconds(30),
            EngineThreads.platform(), SinkSettings.DEFAULT);

    public EngineOptions {
        Objects.requireNonNull(pollers, "pollers");
        Objects.requireNonNull(topicTimeout, "topicTimeout");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(sink, "sink");
    }

    /** The source tuning of {@code pollers}, production defaults elsewhere. */
    public EngineOptions(PollerSettings pollers, Duration topicTimeout, EngineThreads threads) {
        this(pollers, topicTimeout, threads, SinkSettings.DEFAULT);
    }

    public EngineOptions withPollers(PollerSettings newPollers) {
        return new EngineOptions(newPollers, topicTimeout, threads, sink);
    }

    public EngineOptions withThreads(EngineThreads newThreads) {
        return new EngineOptions(pollers, topicTimeout, newThreads, sink);
    }

    public EngineOptions withSink(SinkSettings newSink) {
        return new EngineOptions(pollers, topicTimeout, threads, newSink);
    }
}
