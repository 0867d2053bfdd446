package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.TestReaders;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContinuationTest {
    private static final List<String> FIELDS = List.of("sys_id", "sys_updated_on", "short_description");
    private static final String QUERY = KeysetQueries.firstPage(null, "");
    private static final int LIMIT = 10;

    private final ManualClock clock = ManualClock.at("2024-03-05T07:00:00Z");
    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user("integration", "pw", ZoneId.of("UTC")).clock(clock).build().start();
    private final RetryingReader reader = TestReaders.basic(sim.baseUrl(), "integration", "pw");
    private final List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Continuation continuation = new Continuation("test-read-on", reader, "incident", FIELDS,
            outcomes::add);

    @AfterEach
    void stop() {
        continuation.close();
        sim.close();
    }

    /** Rows {@code 1..count} of incident in one second, so that their order is their number. */
    private void rows(int count) {
        for (int i = 1; i <= count; i++) {
            sim.table("incident").insert(Map.of("sys_id", id(i), "short_description", "row " + i));
        }
        clock.advance(Duration.ofSeconds(1));
    }

    private static String id(int i) {
        return String.format("%032d", i);
    }

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(ContinuationTest::id).toList();
    }

    private List<Map<String, String>> firstPage() throws InterruptedException {
        return reader.read(new TableRead("incident", QUERY, FIELDS, LIMIT));
    }

    @Test
    void onAnUnchangedTableTheRowsAfterTheNextPageComeWithIt() throws Exception {
        rows(35);
        continuation.start(QUERY, LIMIT);

        List<Map<String, String>> more = continuation.after(QUERY, LIMIT, firstPage());

        assertThat(more).extracting(r -> r.get("sys_id")).containsExactlyElementsOf(ids(11, 20));
        assertThat(continuation.used()).isEqualTo(1);
        assertThat(outcomes).containsExactly("used");
    }

    @Test
    void aRowDeletedBeforeTheEndOfThePageBetweenTheTwoReadsDropsTheContinuation() throws Exception {
        rows(35);
        List<Map<String, String>> page = firstPage();
        sim.table("incident").delete(id(3));
        continuation.start(QUERY, LIMIT);

        assertThat(continuation.after(QUERY, LIMIT, page)).as("row 11 would be skipped").isEmpty();
        assertThat(continuation.dropped()).isEqualTo(1);
        assertThat(outcomes).containsExactly("dropped");
    }

    @Test
    void aRowUpdatedAwayOrCommittedLateBetweenTheTwoReadsDropsTheContinuation() throws Exception {
        rows(35);
        List<Map<String, String>> page = firstPage();
        sim.table("incident").update(id(5), Map.of("short_description", "moves to the end"));
        continuation.start(QUERY, LIMIT);
        assertThat(continuation.after(QUERY, LIMIT, page)).isEmpty();

        page = firstPage();
        sim.table("incident").insertWithSysFields(Map.of("sys_id", id(0), "sys_created_on", "2024-03-05 07:00:00",
                "sys_updated_on", "2024-03-05 07:00:00", "sys_mod_count", "0"));
        continuation.start(QUERY, LIMIT);
        assertThat(continuation.after(QUERY, LIMIT, page)).isEmpty();
        assertThat(continuation.dropped()).isEqualTo(2);
    }

    @Test
    void aPageCutShortByRowLevelAclsIsNotContinued() throws Exception {
        rows(35);
        sim.faults().hideRows("*", "incident", "short_description=row 10");
        List<Map<String, String>> page = firstPage();
        continuation.start(QUERY, LIMIT);

        assertThat(page).hasSize(9);
        assertThat(continuation.after(QUERY, LIMIT, page)).isEmpty();
    }

    @Test
    void aContinuationOfAnotherQueryOrPageSizeIsNotUsed() throws Exception {
        rows(35);
        continuation.start(QUERY, LIMIT);
        assertThat(continuation.after(KeysetQueries.firstPage(null, "active=true"), LIMIT, firstPage())).isEmpty();

        continuation.start(QUERY, LIMIT);
        assertThat(continuation.after(QUERY, LIMIT / 2, firstPage())).as("the page was halved").isEmpty();
    }

    @Test
    void theLastRowsOfATableGiveNoContinuation() throws Exception {
        rows(10);
        continuation.start(QUERY, LIMIT);

        assertThat(continuation.after(QUERY, LIMIT, firstPage())).isEmpty();
    }
}
