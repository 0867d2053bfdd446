package io.snkb.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DedupeCacheTest {
    private static final Instant T0 = Instant.parse("2024-03-05T07:00:00Z");
    private static final DedupeCache.Version V0 = new DedupeCache.Version("2024-03-05 07:00:00", "0");
    private static final DedupeCache.Version V1 = new DedupeCache.Version("2024-03-05 07:00:05", "1");

    @Test
    void sameVersionIsSuppressedNewVersionIsNot() {
        DedupeCache cache = new DedupeCache(10);
        cache.remember("a", V0, T0);
        assertThat(cache.contains("a", V0)).isTrue();
        assertThat(cache.contains("a", V1)).isFalse();
        assertThat(cache.contains("b", V0)).isFalse();
    }

    @Test
    void rowsOlderThanTheWindowArePruned() {
        DedupeCache cache = new DedupeCache(10);
        cache.remember("old", V0, T0);
        cache.remember("new", V1, T0.plusSeconds(5));
        cache.pruneBefore(T0.plusSeconds(1));
        assertThat(cache.contains("old", V0)).isFalse();
        assertThat(cache.contains("new", V1)).isTrue();
    }

    @Test
    void capacityEvictsTheLongestUnchangedRows() {
        DedupeCache cache = new DedupeCache(2);
        cache.remember("a", V0, T0);
        cache.remember("b", V0, T0);
        cache.remember("a", V1, T0.plusSeconds(5));
        cache.remember("c", V0, T0);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.contains("b", V0)).isFalse();
        assertThat(cache.contains("a", V1)).isTrue();
        assertThat(cache.contains("c", V0)).isTrue();
    }
}
