package io.snkb.testkit.kafka;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops Kafka's fatal-fault handlers from ending the JVM. A standalone broker halts its process on a
 * metadata fault; embedded in a test run or the demo, that would kill the host silently. With the guard
 * installed the request is logged at ERROR and the broker's own code carries on to fail or shut down.
 *
 * <p>Kafka keeps the exit procedures in static fields, so the guard applies to the whole JVM; it is
 * installed once, on the first broker start, and never removed. Thread-safe.
 */
final class ExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ExitGuard.class);
    private static boolean installed;

    private ExitGuard() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((status, message) ->
            LOG.error("Embedded Kafka asked the JVM to exit with status {} ({}); ignored", status, message));
        Exit.setHaltProcedure((status, message) ->
            LOG.error("Embedded Kafka asked the JVM to halt with status {} ({}); ignored", status, message));
        installed = true;
    }
}
