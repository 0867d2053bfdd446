package io.snkb.bridge.internal.support;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stopping the engine and a backfill share: closing each part they own without letting one failure keep
 * the others open, within one deadline for all. Stateless.
 */
public final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /** Closes {@code closeable} (nothing when {@code null}); a failure is logged and returns {@code false}. */
    public static boolean closeQuietly(String what, AutoCloseable closeable) {
        if (closeable == null) {
            return true;
        }
        try {
            closeable.close();
            return true;
        } catch (Exception e) {
            LOG.warn("Closing the {} failed: {}", what, e.toString());
            return false;
        }
    }

    /** The time left until {@code deadline} ({@link System#nanoTime()}), never negative. */
    public static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
