package io.snkb.bridge.internal.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way switch that a worker waits on instead of sleeping, so that a stop request ends every pause
 * at once. Thread-safe.
 */
public final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Asks the workers watching this signal to stop; further calls do nothing. */
    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Pauses for {@code pause} or until the signal is stopped, whichever comes first.
     *
     * @return {@code true} when the signal was stopped
     */
    public boolean await(Duration pause) throws InterruptedException {
        if (pause.isZero() || pause.isNegative()) {
            return isStopped();
        }
        return stopped.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    }
}
