package io.snkb.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a stop request the command handles itself, so that a graceful stop ends
 * the process with exit code 0 rather than the 143 or 130 of a JVM killed by a signal. A second signal
 * while stopping ends the process at once. Thread-safe.
 */
final class Termination {
    private static final Logger LOG = LoggerFactory.getLogger(Termination.class);
    private static final int INTERRUPTED_EXIT = 130;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private Thread interruptOnSignal;

    Termination() {
    }

    /** Handles TERM and INT from now on for the whole process. */
    static Termination install() {
        Termination termination = new Termination();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> termination.signalled(signal.getName()));
            } catch (IllegalArgumentException e) {
                // The platform does not offer this signal (or the JVM reserved it): keep the JVM's default.
                LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return termination;
    }

    void signalled(String name) {
        if (signals.incrementAndGet() > 1) {
            LOG.warn("Second SIG{} while stopping: exiting now", name);
            Runtime.getRuntime().halt(INTERRUPTED_EXIT);
        }
        LOG.info("SIG{} received", name);
        requested.countDown();
        synchronized (this) {
            if (interruptOnSignal != null) {
                interruptOnSignal.interrupt();
            }
        }
    }

    /**
     * Runs {@code step} (a start-up that may wait long, e.g. for an unreachable Kafka) so that a stop request
     * interrupts it instead of waiting for its timeouts. Returns whether a stop was requested, before or
     * during the step; the step's failure is then the stop's doing and is not thrown.
     */
    boolean interruptible(Runnable step) {
        synchronized (this) {
            interruptOnSignal = Thread.currentThread();
        }
        try {
            if (requested.getCount() == 0) {
                return true;
            }
            step.run();
            return requested.getCount() == 0;
        } catch (RuntimeException e) {
            if (requested.getCount() == 0) {
                LOG.debug("Start-up ended by the stop request: {}", e.toString());
                return true;
            }
            throw e;
        } finally {
            // Under the lock, so that no interrupt meant for the step can land after it.
            synchronized (this) {
                interruptOnSignal = null;
                Thread.interrupted();
            }
        }
    }

    /** Waits up to {@code millis} for a stop request; returns whether one came. */
    boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for a stop request. */
    void await() throws InterruptedException {
        requested.await();
    }
}
