package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TerminationTest {
    @Test
    void aSignalDuringAStartUpStepInterruptsItAndIsReportedAsAStop() throws Exception {
        Termination termination = new Termination();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread signal = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            termination.signalled("TERM");
        });
        signal.start();
        boolean stopped = termination.interruptible(() -> {
            waiting.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        });
        assertThat(stopped).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("no interrupt left behind").isFalse();
        assertThat(termination.await(0)).isTrue();
        signal.join(10_000);
    }

    @Test
    void aStartUpStepThatFailsWithoutASignalThrowsItsFailure() {
        Termination termination = new Termination();
        IllegalStateException failure = new IllegalStateException("Kafka unreachable");
        assertThatThrownBy(() -> termination.interruptible(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void aStepThatEndsWithoutASignalIsNotAStop() throws Exception {
        Termination termination = new Termination();
        assertThat(termination.interruptible(() -> { })).isFalse();
        assertThat(termination.await(0)).isFalse();
    }
}
