package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.internal.servicenow.RetriableServiceNowException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ReadAheadTest {
    private final ConcurrentLinkedQueue<String> reads = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> readers = new ConcurrentLinkedQueue<>();

    private List<Map<String, String>> page(String query) {
        reads.add(query);
        readers.add(Thread.currentThread().getName() + " " + MDC.get("snkb.table"));
        return List.of(Map.of("query", query));
    }

    @Test
    void thePageReadAheadIsTheOneTakenAndIsReadOnceOnItsOwnThreadWithTheOwnersLogContext() throws Exception {
        MDC.put("snkb.table", "incident");
        try (ReadAhead ahead = new ReadAhead("read-ahead-test")) {
            ahead.start("page 2", this::page);
            assertThat(ahead.take("page 2", this::page)).containsExactly(Map.of("query", "page 2"));
        } finally {
            MDC.clear();
        }
        assertThat(reads).containsExactly("page 2");
        assertThat(readers).containsExactly("read-ahead-test incident");
    }

    @Test
    void aPageOtherThanTheOneReadAheadIsReadDirectlyAndTheReadAheadIsDropped() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (ReadAhead ahead = new ReadAhead("read-ahead-test")) {
            ahead.start("page 2", query -> {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return List.of();
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ahead.take("page 1 again", this::page)).containsExactly(Map.of("query", "page 1 again"));
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the dropped read was interrupted").isTrue();
        }
        assertThat(readers).singleElement().asString().startsWith(Thread.currentThread().getName());
    }

    @Test
    void aFailedReadAheadThrowsWhereItsPageIsTakenAsItself() {
        RetriableServiceNowException failure = new RetriableServiceNowException("dev", "incident", 502,
                "Bad Gateway", null);
        try (ReadAhead ahead = new ReadAhead("read-ahead-test")) {
            ahead.start("page 2", query -> {
                throw failure;
            });
            assertThatThrownBy(() -> ahead.take("page 2", this::page)).isSameAs(failure);
        }
        assertThat(reads).isEmpty();
    }

    @Test
    void withNothingReadAheadThePageIsReadOnTheCallersThread() throws Exception {
        try (ReadAhead ahead = new ReadAhead("read-ahead-test")) {
            assertThat(ahead.take("page 1", this::page)).hasSize(1);
        }
        assertThat(readers).singleElement().asString().startsWith(Thread.currentThread().getName());
    }
}
