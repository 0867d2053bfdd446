package io.snkb.bridge;

/** The lifecycle of the engine and of each of its tables. */
public enum EngineState {
    /** Built, not started. */
    NEW,
    /** Starting: opening the offset store, checking access. */
    STARTING,
    /** Working normally. */
    RUNNING,
    /** Working, but the last attempt failed and is being retried. */
    RETRYING,
    /** Stopped by an error that retrying cannot fix; see the last error. */
    FAILED,
    /** Shutting down: finishing in-flight work and flushing positions. */
    STOPPING,
    /** Stopped. */
    STOPPED
}
