package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SentVersionsTest {
    private static final Instant T = Instant.parse("2024-03-05T07:00:00Z");

    @Test
    void forgettingRowsBeyondTheBoundMovesTheCoveredSpanPastThem() {
        SentVersions sent = new SentVersions(2, null);
        sent.sent("a", "0", T);
        sent.sent("b", "0", T.plusSeconds(5));
        assertThat(sent.coveredFrom()).isNull();

        sent.sent("c", "1", T.plusSeconds(9));

        assertThat(sent.size()).isEqualTo(2);
        assertThat(sent.get("a")).isNull();
        assertThat(sent.coveredFrom()).isEqualTo(T.plusSeconds(1));
        assertThat(sent.between(T, T.plusSeconds(9))).containsOnlyKeys("b", "c");
    }

    @Test
    void aRowSentAgainKeepsOnlyItsLatestVersionAndADeletedRowIsForgotten() {
        SentVersions sent = new SentVersions(10, T);
        sent.sent("a", "0", T);
        sent.sent("a", "3", T.plusSeconds(2));
        assertThat(sent.get("a")).isEqualTo(new SentVersions.Sent("3", T.plusSeconds(2)));
        sent.deleted("a");
        assertThat(sent.get("a")).isNull();
        assertThat(sent.coveredFrom()).isEqualTo(T);
    }
}
