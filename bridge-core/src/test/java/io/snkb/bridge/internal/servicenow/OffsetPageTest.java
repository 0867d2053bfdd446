package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OffsetPageTest {
    private static final String BASE = "https://acme.service-now.com/api/now/table/incident";

    @Test
    void nextOffsetIsReadFromTheNextLinkEvenWhenItsUrlHoldsRawCommas() {
        String header = "<" + BASE + "?sysparm_fields=sys_id,number&sysparm_offset=0&sysparm_limit=1000>;rel=\"first\","
                + "<" + BASE + "?sysparm_fields=sys_id,number&sysparm_offset=3000&sysparm_limit=1000>;rel=\"next\","
                + "<" + BASE + "?sysparm_offset=27000&sysparm_limit=1000>;rel=\"last\"";

        assertThat(OffsetPage.nextOffset(header)).hasValue(3000);
    }

    @Test
    void aHeaderWithoutANextLinkOrWithoutAnOffsetInItGivesNoNextOffset() {
        assertThat(OffsetPage.nextOffset("<" + BASE + "?sysparm_offset=0>;rel=\"first\"")).isEmpty();
        assertThat(OffsetPage.nextOffset("<" + BASE + "?sysparm_limit=10>; rel=next")).isEmpty();
        assertThat(OffsetPage.nextOffset("not a link header")).isEmpty();
    }

    @Test
    void aPageCoversWhatTheNextLinkSaysButNeverMoreThanWasAsked() {
        OffsetPage capped = new OffsetPage(List.of(), OptionalLong.of(2000), true);
        assertThat(capped.covered(1000, 10_000)).isEqualTo(1000);
        assertThat(capped.covered(1000, 500)).isEqualTo(500);
        OffsetPage silent = new OffsetPage(List.of(), OptionalLong.empty(), false);
        assertThat(silent.covered(1000, 10_000)).as("nothing said: as asked").isEqualTo(10_000);
    }
}
