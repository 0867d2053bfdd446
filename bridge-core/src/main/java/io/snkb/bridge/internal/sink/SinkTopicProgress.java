package io.snkb.bridge.internal.sink;

import io.snkb.bridge.EngineState;
import io.snkb.bridge.SinkTopicStatus;
import io.snkb.bridge.config.SinkTopicConfig;

/**
 * The live state of one sink topic, read by the engine's status and health from any thread while its
 * workers update it. Thread-safe.
 */
final class SinkTopicProgress {
    private final SinkTopicConfig config;
    private EngineState state = EngineState.NEW;
    private boolean credentialsRefused;
    private String lastError;

    SinkTopicProgress(SinkTopicConfig config) {
        this.config = config;
    }

    synchronized void running() {
        state = EngineState.RUNNING;
    }

    synchronized void stopped() {
        state = EngineState.STOPPED;
    }

    /** A write was refused for its credentials; {@code error} names what and where, and holds no secret. */
    synchronized void credentialsRefused(String error) {
        lastError = error;
        credentialsRefused = true;
        if (state == EngineState.RUNNING) {
            state = EngineState.RETRYING;
        }
    }

    /** A write went through; true when the credentials had been refused until now. */
    synchronized boolean credentialsAccepted() {
        if (!credentialsRefused) {
            return false;
        }
        credentialsRefused = false;
        if (state == EngineState.RETRYING) {
            state = EngineState.RUNNING;
        }
        return true;
    }

    synchronized SinkTopicStatus snapshot() {
        return snapshot(config, state, credentialsRefused, lastError);
    }

    /** The status of a topic the sink does not run (yet). */
    static SinkTopicStatus notStarted(SinkTopicConfig config) {
        return snapshot(config, EngineState.NEW, false, null);
    }

    private static SinkTopicStatus snapshot(SinkTopicConfig config, EngineState state, boolean refused,
                                            String error) {
        return new SinkTopicStatus(config.topic(), config.instance(), config.table(), state, refused, error);
    }
}
