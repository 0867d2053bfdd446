package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetQueriesTest {
    private static final Instant T = Instant.parse("2024-03-05T07:00:09Z");
    private static final String T_UTC = "2024-03-05 07:00:09";

    @Test
    void firstRunReadsTheWholeTableInKeysetOrder() {
        assertThat(KeysetQueries.firstPage(null, ""))
                .isEqualTo("ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void firstPageStartsAtTheLowerBound() {
        assertThat(KeysetQueries.firstPage(T, ""))
                .isEqualTo("sys_updated_on>=" + T_UTC + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void firstPageAndsTheTableQuery() {
        assertThat(KeysetQueries.firstPage(T, "active=true^priority<=2"))
                .isEqualTo("sys_updated_on>=" + T_UTC + "^active=true^priority<=2"
                        + "^ORDERBYsys_updated_on^ORDERBYsys_id");
        assertThat(KeysetQueries.firstPage(null, "active=true"))
                .isEqualTo("active=true^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void nextPageIsAKeysetAfterTheLastRow() {
        Position last = new Position(T, "abc");
        assertThat(KeysetQueries.nextPage(last, ""))
                .isEqualTo("sys_updated_on>" + T_UTC + "^NQsys_updated_on=" + T_UTC + "^sys_id>abc"
                        + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void tableQueryIsRepeatedInBothOrGroups() {
        Position last = new Position(T, "abc");
        assertThat(KeysetQueries.nextPage(last, "active=true"))
                .isEqualTo("sys_updated_on>" + T_UTC + "^active=true"
                        + "^NQsys_updated_on=" + T_UTC + "^sys_id>abc^active=true"
                        + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void tableQueryWithItsOwnGroupsIsDistributed() {
        Position last = new Position(T, "abc");
        assertThat(KeysetQueries.nextPage(last, "priority=1^NQurgency=1"))
                .isEqualTo("sys_updated_on>" + T_UTC + "^priority=1"
                        + "^NQsys_updated_on>" + T_UTC + "^urgency=1"
                        + "^NQsys_updated_on=" + T_UTC + "^sys_id>abc^priority=1"
                        + "^NQsys_updated_on=" + T_UTC + "^sys_id>abc^urgency=1"
                        + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void tableQueryWithOrConditionsStaysInsideItsGroup() {
        assertThat(KeysetQueries.firstPage(T, "priority=1^ORurgency=1"))
                .isEqualTo("sys_updated_on>=" + T_UTC + "^priority=1^ORurgency=1"
                        + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    }

    @Test
    void literalsAreLocalTimesOfTheSessionZoneInWholeSeconds() {
        Instant newYear = Instant.parse("2024-12-31T23:59:59.900Z");
        assertThat(ServiceNowTime.queryLiteral(newYear, ZoneId.of("Pacific/Kiritimati")))
                .isEqualTo("javascript:gs.dateGenerate('2025-01-01','13:59:59')");
        assertThat(ServiceNowTime.queryLiteral(newYear, ZoneId.of("America/Los_Angeles")))
                .isEqualTo("javascript:gs.dateGenerate('2024-12-31','15:59:59')");
    }

    @Test
    void literalsForAUtcSessionAreRawTextThatEveryReaderTakesAsUtc() {
        Instant newYear = Instant.parse("2024-12-31T23:59:59.900Z");
        assertThat(ServiceNowTime.queryLiteral(newYear, ZoneId.of("UTC"))).isEqualTo("2024-12-31 23:59:59");
        assertThat(ServiceNowTime.queryLiteral(newYear, ZoneId.of("Etc/GMT"))).isEqualTo("2024-12-31 23:59:59");
        assertThat(ServiceNowTime.queryLiteral(newYear, ZoneId.of("Europe/London")))
                .isEqualTo("javascript:gs.dateGenerate('2024-12-31','23:59:59')");
    }

    @Test
    void auditKeysetUsesItsOwnTimeField() {
        KeysetQueries audit = new KeysetQueries("sys_created_on", ZoneId.of("UTC"));
        assertThat(audit.next(new Position(T, "abc"), "tablename=incident"))
                .isEqualTo("sys_created_on>" + T_UTC + "^tablename=incident^NQsys_created_on=" + T_UTC
                        + "^sys_id>abc^tablename=incident^ORDERBYsys_created_on^ORDERBYsys_id");
    }

    @Test
    void tableQueryMustNotOrderRows() {
        assertThatThrownBy(() -> KeysetQueries.firstPage(T, "active=true^ORDERBYDESCnumber"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ORDERBYDESCnumber");
    }

    @Test
    void datesAreRawUtcWholeSeconds() {
        assertThat(ServiceNowTime.format(Instant.parse("2024-12-31T23:59:59.900Z"))).isEqualTo("2024-12-31 23:59:59");
        assertThat(ServiceNowTime.parse("2024-03-05 07:00:09")).isEqualTo(T);
        assertThatThrownBy(() -> ServiceNowTime.parse("05-03-2024 07:00:09"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backfillPageReadsARangeBySysIdAfterItsCursor() {
        assertThat(KeysetQueries.byId("ab12", List.of("sys_id>=80", "sys_id<c0"), "active=true", ""))
                .isEqualTo("sys_id>=80^sys_id<c0^sys_id>ab12^active=true^ORDERBYsys_id");
    }

    @Test
    void backfillPageDistributesBothQueriesOverTheirGroups() {
        assertThat(KeysetQueries.byId(null, List.of("sys_id<80"), "active=true^NQstate=2", "priority=1"))
                .isEqualTo("sys_id<80^active=true^priority=1^NQsys_id<80^state=2^priority=1^ORDERBYsys_id");
    }

    @Test
    void backfillPageOfAWholeTableIsOnlyTheOrder() {
        assertThat(KeysetQueries.byId(null, List.of(), "", "")).isEqualTo("ORDERBYsys_id");
    }
}
