package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.TestReaders;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HiddenPagesTest {
    private static final List<String> FIELDS = List.of("sys_id", "sys_updated_on");
    private static final String QUERY = KeysetQueries.firstPage(null, "");

    private final ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0)
            .user("integration", "pw", ZoneId.of("UTC")).clock(ManualClock.at("2024-03-05T07:00:00Z")).build()
            .start();
    private final RetryingReader reader = TestReaders.basic(sim.baseUrl(), "integration", "pw");

    @AfterEach
    void stop() {
        sim.close();
    }

    /** Rows {@code 1..count} of incident in one second, so that their order is their number. */
    private void rows(int count, int hiddenUpTo) {
        for (int i = 1; i <= count; i++) {
            sim.table("incident").insert(Map.of("sys_id", String.format("%032d", i),
                    "short_description", i <= hiddenUpTo ? "secret" : "open"));
        }
        sim.faults().hideRows("*", "incident", "short_description=secret");
    }

    private HiddenPages hiddenPages(boolean stopped) {
        return new HiddenPages("dev", reader, "incident", FIELDS, new AdaptivePages("dev", 10), () -> stopped);
    }

    /** Steps of ten rows, before each of which {@code beforeEach} runs with the number of the request. */
    private HiddenPages smallSteps(IntConsumer beforeEach) {
        AtomicInteger checks = new AtomicInteger();
        return new HiddenPages("dev", reader, "incident", FIELDS, new AdaptivePages("dev", 10), () -> {
            beforeEach.accept(checks.incrementAndGet());
            return false;
        }, 10);
    }

    private void purge(int from, int to) {
        for (int i = from; i <= to; i++) {
            sim.table("incident").purge(String.format("%032d", i));
        }
    }

    /** The steps' reads of sys_ids, not the count before them. */
    private List<String> keyReads() {
        return sim.requestLog().stream().map(RequestLogEntry::pathAndQuery)
                .filter(p -> p.contains("sysparm_fields=sys_id&") && !p.contains("sysparm_limit=1&"))
                .toList();
    }

    private static List<String> ids(HiddenPages.Found found) {
        return found.rows().stream().map(r -> r.get("sys_id")).toList();
    }

    private static String id(int number) {
        return String.format("%032d", number);
    }

    @Test
    void visibleRowsAfterTwoWholeHiddenPagesAreFoundAndReadInFullByTheirIds() throws Exception {
        rows(25, 23);

        HiddenPages.Found found = hiddenPages(false).after(QUERY);

        assertThat(ids(found)).containsExactly(id(24), id(25));
        assertThat(found.rows()).allSatisfy(r -> assertThat(r).containsKey("sys_updated_on"));
        assertThat(found.hiddenRows()).as("every row of the rest but the two visible ones").isEqualTo(23);
        assertThat(found.limit()).isEqualTo(2);
        assertThat(keyReads()).as("the whole rest in one step of sys_ids").singleElement().asString()
                .contains("sysparm_limit=10000").doesNotContain("sysparm_offset=");
        assertThat(sim.requestLog()).extracting(RequestLogEntry::pathAndQuery)
                .anyMatch(p -> p.contains("sys_idIN" + id(24) + "%2C" + id(25)));
    }

    /**
     * Instead of this test's simulator, one whose pages hold at most 10 rows, with or without a Link header,
     * and rows 1 to 35 of which the first 33 are hidden.
     */
    private ServiceNowSimulator cappedAt10With33HiddenRows(boolean links) {
        sim.close();
        ServiceNowSimulator capped = ServiceNowSimulator.builder().port(0).maxLimit(10).paginationHeaders(links)
                .user("integration", "pw", ZoneId.of("UTC")).clock(ManualClock.at("2024-03-05T07:00:00Z")).build()
                .start();
        for (int i = 1; i <= 35; i++) {
            capped.table("incident").insert(Map.of("sys_id", id(i), "short_description", i <= 33 ? "secret" : "open"));
        }
        capped.faults().hideRows("*", "incident", "short_description=secret");
        return capped;
    }

    /** Steps of the default size over the rest of the first page of {@code capped}, pages of 10. */
    private static HiddenPages.Found afterOn(ServiceNowSimulator capped) throws InterruptedException {
        RetryingReader cappedReader = TestReaders.basic(capped.baseUrl(), "integration", "pw");
        return new HiddenPages("dev", cappedReader, "incident", FIELDS, new AdaptivePages("dev", 10), () -> false)
                .after(QUERY);
    }

    @Test
    void anInstanceThatAnswersFewerRowsThanAStepAsksIsSteppedAsFarAsItsLinkHeaderSays() throws Exception {
        try (ServiceNowSimulator capped = cappedAt10With33HiddenRows(true)) {
            // Steps ask for 10,000 rows; the instance answers at most 10 and its next link starts at offset 10.
            HiddenPages.Found found = afterOn(capped);

            assertThat(ids(found)).containsExactly(id(34), id(35));
            assertThat(found.hiddenRows()).isEqualTo(33);
            List<String> steps = capped.requestLog().stream().map(RequestLogEntry::pathAndQuery)
                    .filter(p -> p.contains("sysparm_fields=sys_id&") && !p.contains("sysparm_limit=1&")).toList();
            assertThat(steps).first().asString().contains("sysparm_limit=10000");
            assertThat(steps.subList(1, steps.size())).as("later steps no longer than the instance answers")
                    .isNotEmpty().allMatch(p -> p.contains("sysparm_limit=10&"));
        }
    }

    @Test
    void anInstanceThatCapsPagesAndSendsNoLinkHeaderIsSteppedAPageAtATime() throws Exception {
        try (ServiceNowSimulator capped = cappedAt10With33HiddenRows(false)) {
            HiddenPages.Found found = afterOn(capped);

            assertThat(ids(found)).containsExactly(id(34), id(35));
        }
    }

    @Test
    void aRestLargerThanAStepIsSteppedByOffsetUntilTheCountEnds() throws Exception {
        rows(35, 35);

        HiddenPages.Found found = smallSteps(check -> { }).after(QUERY);

        assertThat(found.rows()).isEmpty();
        assertThat(found.hiddenRows()).isZero();
        assertThat(keyReads()).as("one step of ten for each ten rows counted, then no more").hasSize(4);
        assertThat(keyReads().subList(1, 4)).allMatch(p -> p.matches(".*sysparm_offset=(10|20|30)(&.*)?"));
    }

    @Test
    void hiddenRowsLeavingWhileTheRestIsSteppedOverSkipNoVisibleRow() throws Exception {
        rows(45, 40);
        // Before each request five more hidden rows leave the read (updated away, deleted): paged by offset,
        // the visible rows 41 to 45 would move back behind every page read.
        AtomicInteger purged = new AtomicInteger();
        HiddenPages steps = new HiddenPages("dev", reader, "incident", FIELDS, new AdaptivePages("dev", 10), () -> {
            int from = purged.getAndAdd(5) + 1;
            purge(from, Math.min(40, from + 4));
            return false;
        });

        assertThat(ids(steps.after(QUERY))).containsExactly(id(41), id(42), id(43), id(44), id(45));
    }

    @Test
    void visibleRowsShiftedBackIntoAStepAlreadyReadAreNotSkipped() throws Exception {
        rows(25, 20);
        // Before the step at offset 20, two hidden rows leave the read, so rows 21 and 22 move back to offsets 18
        // and 19, into the step read before.
        HiddenPages steps = smallSteps(check -> {
            if (check == 3) {
                purge(1, 2);
            }
        });

        assertThat(ids(steps.after(QUERY))).containsExactly(id(21), id(22));
    }

    @Test
    void noStepIsReadWhenTheReadIsToStop() throws Exception {
        rows(25, 23);

        assertThat(hiddenPages(true).after(QUERY).rows()).isEmpty();
        assertThat(keyReads()).isEmpty();
    }
}
