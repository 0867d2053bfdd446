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

    private List<RequestLogEntry> offsetReads() {
        return sim.requestLog().stream().filter(r -> r.pathAndQuery().contains("sysparm_offset=")).toList();
    }

    @Test
    void visibleRowsAfterTwoWholeHiddenPagesAreFound() throws Exception {
        rows(25, 23);

        HiddenPages.Found found = hiddenPages(false).after(QUERY);

        assertThat(found.rows()).extracting(r -> r.get("sys_id"))
                .containsExactly(String.format("%032d", 24), String.format("%032d", 25));
        assertThat(found.hiddenRows()).as("the rows of the two pages stepped over").isEqualTo(20);
        assertThat(found.limit()).isEqualTo(10);
    }

    @Test
    void stepsEndWhenTheCountSaysRowsRemainButEveryPageLeftIsHidden() throws Exception {
        rows(35, 35);

        HiddenPages.Found found = hiddenPages(false).after(QUERY);

        assertThat(found.rows()).isEmpty();
        assertThat(found.hiddenRows()).isZero();
        assertThat(offsetReads()).extracting(RequestLogEntry::pathAndQuery)
                .as("one read for each page after the first, then no more")
                .hasSize(3).allMatch(p -> p.matches(".*sysparm_offset=(10|20|30)(&.*)?"));
    }

    @Test
    void visibleRowsShiftedBackIntoAPageSteppedOverAreNotSkipped() throws Exception {
        rows(25, 20);
        AtomicInteger pageChecks = new AtomicInteger();
        // The check before each page is where a change made by someone else meanwhile slips in: before the
        // page at offset 20, two hidden rows leave the read, so rows 21 and 22 move back to offsets 18 and 19.
        HiddenPages steps = new HiddenPages("dev", reader, "incident", FIELDS, new AdaptivePages("dev", 10), () -> {
            if (pageChecks.incrementAndGet() == 2) {
                sim.table("incident").purge(String.format("%032d", 1));
                sim.table("incident").purge(String.format("%032d", 2));
            }
            return false;
        });

        HiddenPages.Found found = steps.after(QUERY);

        assertThat(found.rows()).extracting(r -> r.get("sys_id"))
                .containsExactly(String.format("%032d", 21), String.format("%032d", 22));
    }

    @Test
    void noPageIsReadWhenTheReadIsToStop() throws Exception {
        rows(25, 23);

        assertThat(hiddenPages(true).after(QUERY).rows()).isEmpty();
        assertThat(offsetReads()).isEmpty();
    }
}
