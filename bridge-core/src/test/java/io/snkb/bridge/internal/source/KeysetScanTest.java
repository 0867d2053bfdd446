package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pages of a scan through the hour New York repeats on 2026-11-01 (05:00 to 07:00 UTC), fed by hand: the
 * queries it writes, the rows it hands on, and the position it holds the stream to.
 */
class KeysetScanTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final String BEFORE = "javascript:gs.dateGenerate('2026-11-01','00:59:59')";
    private static final String AFTER = "javascript:gs.dateGenerate('2026-11-01','02:00:00')";
    private static final String SPAN = "sys_updated_on>" + BEFORE + "^sys_updated_on<" + AFTER;
    private static final String ORDER = "^ORDERBYsys_updated_on^ORDERBYsys_id";

    private final LatestStamp stamps = new LatestStamp();
    private final KeysetScan scan = new KeysetScan("sys_updated_on", "", KeysetScanTest::positionOf, stamps, null);

    private static Map<String, String> row(String utcTime, String sysId) {
        return Map.of("sys_id", sysId, "sys_updated_on", "2026-11-01 " + utcTime);
    }

    private static Position positionOf(Map<String, String> row) {
        return new Position(ServiceNowTime.parse(row.get("sys_updated_on")), row.get("sys_id"));
    }

    private static Position at(String utcTime, String sysId) {
        return positionOf(row(utcTime, sysId));
    }

    @Test
    void cursorInsideTheRepeatedHourReadsTheHourBySysIdThenGoesOnFromItsEnd() {
        assertThat(scan.start(NEW_YORK, Instant.parse("2026-11-01T06:29:58Z")))
                .isEqualTo("sys_updated_on>=" + BEFORE + ORDER);
        assertThat(scan.lowerBound()).isEqualTo(Instant.parse("2026-11-01T04:59:59Z"));

        List<Map<String, String>> first = List.of(row("04:59:59", "f"), row("05:10:00", "b"));
        assertThat(scan.advance(first)).isEqualTo(first);
        assertThat(scan.query()).isEqualTo(SPAN + "^ORDERBYsys_id");
        assertThat(scan.hold()).isEqualTo(at("05:10:00", "b"));

        // In sys_id order: rows up to the one the span was entered after were handed on already.
        List<Map<String, String>> bySysId = List.of(row("06:30:00", "a"), row("05:10:00", "b"),
                row("05:10:00", "c"), row("05:05:00", "d"));
        assertThat(scan.advance(bySysId)).containsExactly(row("06:30:00", "a"), row("05:10:00", "c"));
        assertThat(scan.query()).isEqualTo(SPAN + "^sys_id>d^ORDERBYsys_id");

        assertThat(scan.advance(List.of())).isEmpty();
        assertThat(scan.query()).isEqualTo("sys_updated_on>=" + AFTER + ORDER);
        assertThat(scan.advance(List.of(row("07:00:05", "e")))).hasSize(1);
        assertThat(scan.query()).startsWith("sys_updated_on>javascript:gs.dateGenerate('2026-11-01','02:00:05')");
        assertThat(scan.advance(List.of())).isEmpty();
        assertThat(scan.query()).isNull();
    }

    @Test
    void storedPositionIsHeldUntilAReadOfTheHourBeganAfterTheInstanceLeftIt() {
        scan.start(NEW_YORK, Instant.parse("2026-11-01T05:00:00Z"));
        scan.advance(List.of(row("05:10:00", "b")));
        Position held = at("05:10:00", "b");
        scan.advance(List.of(row("06:50:00", "a"), row("05:10:00", "b")));
        assertThat(scan.cap(() -> at("06:50:00", "a"))).as("acknowledged in sys_id order only").isEqualTo(held);

        // Nothing was stamped at 07:00 or later when this read began: rows may have been stamped into the hour
        // behind the sys_id reached, so the hold stays, and the next poll reads the hour again from before it.
        scan.advance(List.of());
        scan.advance(List.of(row("07:00:01", "e")));
        scan.advance(List.of());
        assertThat(scan.hold()).isEqualTo(held);
        assertThat(scan.cap(() -> at("07:00:01", "e"))).isEqualTo(held);
        assertThat(scan.start(NEW_YORK, Instant.parse("2026-11-01T06:59:59Z")))
                .isEqualTo("sys_updated_on>=" + BEFORE + ORDER);

        // Now the instance's clock is known to be past the hour: a read of the hour that ends lets go.
        scan.advance(List.of(row("05:10:00", "b")));
        scan.advance(List.of(row("06:50:00", "a"), row("06:55:00", "c")));
        assertThat(scan.hold()).isEqualTo(held);
        scan.advance(List.of());
        assertThat(scan.hold()).isNull();
        assertThat(scan.cap(() -> at("06:55:00", "c"))).isEqualTo(at("06:55:00", "c"));
        assertThat(scan.cap(() -> null)).isNull();
    }

    @Test
    void rowStampedPastTheHourByAnotherReadOfTheTableLetsTheHourBeReadSafelyAtOnce() {
        // The table's rows were read first in this poll cycle; its deletes scan shares what they told.
        stamps.saw(Instant.parse("2026-11-01T07:00:00Z"));
        scan.start(NEW_YORK, Instant.parse("2026-11-01T05:00:00Z"));
        scan.advance(List.of(row("05:10:00", "b")));
        assertThat(scan.hold()).isEqualTo(at("05:10:00", "b"));
        scan.advance(List.of(row("06:50:00", "a")));
        scan.advance(List.of());
        assertThat(scan.hold()).isNull();
    }

    @Test
    void restartFromAPositionLetsGoOfTheHold() {
        scan.start(NEW_YORK, null);
        scan.advance(List.of(row("05:10:00", "b")));
        assertThat(scan.hold()).isNotNull();
        scan.restart(at("05:10:00", "b"));
        assertThat(scan.hold()).isNull();
        assertThat(scan.start(NEW_YORK, Instant.parse("2026-11-01T05:09:58Z")))
                .isEqualTo("sys_updated_on>=" + BEFORE + ORDER);
    }

    @Test
    void boundedReadKeepsOnlyRowsWithinItsExactBounds() {
        String first = scan.start(NEW_YORK, Instant.parse("2026-11-01T05:30:00Z"),
                Instant.parse("2026-11-01T06:10:00Z"));
        assertThat(first).isEqualTo("sys_updated_on>=" + BEFORE + "^sys_updated_on<" + AFTER + ORDER);

        assertThat(scan.advance(List.of(row("05:00:00", "a"), row("05:30:00", "b")))).containsExactly(
                row("05:30:00", "b"));
        assertThat(scan.advance(List.of(row("06:10:00", "c"), row("06:10:01", "d"), row("05:20:00", "e"))))
                .containsExactly(row("06:10:00", "c"));
        assertThat(scan.query()).isEqualTo(SPAN + "^sys_id>e^sys_updated_on<" + AFTER + "^ORDERBYsys_id");
    }

    @Test
    void scanOutsideAnyRepeatedHourIsAPlainKeyset() {
        KeysetScan utc = new KeysetScan("sys_updated_on", "active=true", KeysetScanTest::positionOf,
                new LatestStamp(), null);
        assertThat(utc.start(ZoneId.of("UTC"), Instant.parse("2026-11-01T05:30:00Z")))
                .isEqualTo("sys_updated_on>=2026-11-01 05:30:00^active=true" + ORDER);
        assertThat(utc.advance(List.of(row("05:30:00", "a")))).hasSize(1);
        assertThat(utc.query()).isEqualTo("sys_updated_on>2026-11-01 05:30:00^active=true"
                + "^NQsys_updated_on=2026-11-01 05:30:00^sys_id>a^active=true" + ORDER);
        assertThat(utc.hold()).isNull();
        utc.advance(List.of());
        assertThat(utc.query()).isNull();
    }
}
