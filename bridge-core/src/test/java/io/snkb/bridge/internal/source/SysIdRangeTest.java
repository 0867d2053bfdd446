package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysIdRangeTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 16, 64, 256})
    void everySysIdFallsInExactlyOneRange(int count) {
        List<SysIdRange> ranges = SysIdRange.split(count);
        assertThat(ranges).hasSize(count);
        for (String sysId : sysIds()) {
            assertThat(ranges.stream().filter(r -> contains(r, sysId))).as(sysId).hasSize(1);
        }
    }

    @Test
    void fourRangesSplitTheHexSpaceEvenly() {
        assertThat(SysIdRange.split(4)).extracting(SysIdRange::toString)
                .containsExactly("1of4[..40)", "2of4[40..80)", "3of4[80..c0)", "4of4[c0..)");
        assertThat(SysIdRange.split(4).get(1).conditions(List.of("active=true")))
                .containsExactly("sys_id>=40", "sys_id<80", "active=true");
    }

    @Test
    void aSplitNeedsOneTo256Ranges() {
        assertThatThrownBy(() -> SysIdRange.split(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SysIdRange.split(257)).isInstanceOf(IllegalArgumentException.class);
    }

    /** What ServiceNow's string comparison of the range conditions selects. */
    private static boolean contains(SysIdRange range, String sysId) {
        return (range.lower() == null || sysId.compareTo(range.lower()) >= 0)
                && (range.upper() == null || sysId.compareTo(range.upper()) < 0);
    }

    private static List<String> sysIds() {
        Random random = new Random(42);
        List<String> ids = new ArrayList<>(List.of("", "0", "00", "ff", "fff", "zz", "A1", "7f", "80", "-1"));
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            ids.add(HexFormat.of().formatHex(bytes));
        }
        return ids;
    }
}
