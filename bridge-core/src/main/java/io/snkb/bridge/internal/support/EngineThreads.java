package io.snkb.bridge.internal.support;

/**
 * Creates the engine's own threads, each with the name the engine chooses (for example
 * {@code snkb-poll-dev-incident}), so that thread dumps and logs show what a thread works on. Tests
 * inject their own to observe or control threads. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface EngineThreads {

    /** A new, not yet started thread named {@code name} that runs {@code task}. */
    Thread newThread(String name, Runnable task);

    /**
     * Plain platform threads. They are not daemons: a running engine keeps the JVM alive until it is
     * closed, as a server process should.
     */
    static EngineThreads platform() {
        return (name, task) -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(false);
            return thread;
        };
    }
}
