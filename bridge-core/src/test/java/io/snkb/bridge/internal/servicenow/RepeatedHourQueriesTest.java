package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Queries around the hour New York repeats when daylight saving ends: on 2026-11-01 the local times 01:00:00 to
 * 01:59:59 name 05:00-05:59:59 UTC (EDT) and again 06:00-06:59:59 UTC (EST).
 */
class RepeatedHourQueriesTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant FIRST_PASS = Instant.parse("2026-11-01T05:30:00Z");
    private static final Instant SECOND_PASS = Instant.parse("2026-11-01T06:30:00Z");
    private static final String BEFORE = "javascript:gs.dateGenerate('2026-11-01','00:59:59')";
    private static final String AFTER = "javascript:gs.dateGenerate('2026-11-01','02:00:00')";
    private static final String ORDER = "^ORDERBYsys_updated_on^ORDERBYsys_id";
    private final KeysetQueries keyset = new KeysetQueries("sys_updated_on", NEW_YORK);

    @Test
    void spanCoversBothPassesOfTheRepeatedLocalHour() {
        RepeatedHour span = new RepeatedHour(Instant.parse("2026-11-01T05:00:00Z"),
                Instant.parse("2026-11-01T07:00:00Z"));
        assertThat(RepeatedHour.containing(FIRST_PASS, NEW_YORK)).contains(span);
        assertThat(RepeatedHour.containing(SECOND_PASS, NEW_YORK)).contains(span);
        assertThat(RepeatedHour.containing(span.start(), NEW_YORK)).contains(span);
        assertThat(RepeatedHour.containing(span.lastBefore(), NEW_YORK)).isEmpty();
        assertThat(RepeatedHour.containing(span.end(), NEW_YORK)).isEmpty();
        assertThat(RepeatedHour.containing(FIRST_PASS, ZoneOffset.UTC)).isEmpty();
        // Spring forward skips local times instead of repeating them: nothing is ambiguous then.
        assertThat(RepeatedHour.containing(Instant.parse("2026-03-08T07:30:00Z"), NEW_YORK)).isEmpty();
    }

    @Test
    void halfHourChangeRepeatsHalfAnHour() {
        // Lord Howe Island goes back from +11:00 to +10:30 at 02:00 local on 2026-04-05 (15:00 UTC the day before).
        assertThat(RepeatedHour.containing(Instant.parse("2026-04-04T15:10:00Z"), ZoneId.of("Australia/Lord_Howe")))
                .contains(new RepeatedHour(Instant.parse("2026-04-04T14:30:00Z"),
                        Instant.parse("2026-04-04T15:30:00Z")));
    }

    @Test
    void noLiteralIsWrittenForARepeatedLocalTime() {
        assertThatThrownBy(() -> ServiceNowTime.queryLiteral(FIRST_PASS, NEW_YORK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-11-01 05:30:00");
        assertThatThrownBy(() -> keyset.next(new Position(SECOND_PASS, "abc"), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ServiceNowTime.queryLiteral(Instant.parse("2026-11-01T04:59:59Z"), NEW_YORK)).isEqualTo(BEFORE);
        assertThat(ServiceNowTime.queryLiteral(Instant.parse("2026-11-01T07:00:00Z"), NEW_YORK)).isEqualTo(AFTER);
    }

    @Test
    void lowerBoundInTheRepeatedHourIsWidenedToTheSecondBeforeIt() {
        assertThat(keyset.first(FIRST_PASS, "active=true"))
                .isEqualTo("sys_updated_on>=" + BEFORE + "^active=true" + ORDER);
        assertThat(keyset.first(SECOND_PASS, "")).isEqualTo("sys_updated_on>=" + BEFORE + ORDER);
        assertThat(keyset.first(Instant.parse("2026-11-01T04:59:58Z"), ""))
                .isEqualTo("sys_updated_on>=javascript:gs.dateGenerate('2026-11-01','00:59:58')" + ORDER);
    }

    @Test
    void upperBoundInTheRepeatedHourIsWidenedToItsEnd() {
        assertThat(keyset.atOrBefore(FIRST_PASS)).isEqualTo("sys_updated_on<" + AFTER);
        assertThat(keyset.atOrBefore(Instant.parse("2026-11-01T04:59:59Z"))).isEqualTo("sys_updated_on<=" + BEFORE);
        assertThat(keyset.atOrBefore(Instant.parse("2026-11-01T07:00:00Z"))).isEqualTo("sys_updated_on<=" + AFTER);
    }

    @Test
    void rowsOfTheRepeatedHourAreReadBySysIdBetweenUnambiguousBounds() {
        RepeatedHour span = RepeatedHour.containing(SECOND_PASS, NEW_YORK).orElseThrow();
        assertThat(keyset.inRepeatedHour(span, null, "active=true^NQpriority=1"))
                .isEqualTo("sys_updated_on>" + BEFORE + "^sys_updated_on<" + AFTER + "^active=true"
                        + "^NQsys_updated_on>" + BEFORE + "^sys_updated_on<" + AFTER + "^priority=1^ORDERBYsys_id");
        assertThat(new KeysetQueries("sys_created_on", NEW_YORK).inRepeatedHour(span, "abc", "tablename=incident"))
                .isEqualTo("sys_created_on>" + BEFORE + "^sys_created_on<" + AFTER
                        + "^sys_id>abc^tablename=incident^ORDERBYsys_id");
    }
}
