package io.snkb.bridge.internal.servicenow;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * The instants whose local time a zone repeats, usually the hour when daylight saving ends: in
 * America/New_York on 2026-11-01 the local times 01:00:00 to 01:59:59 name both 05:00-05:59:59 and
 * 06:00-06:59:59 UTC, so this span is {@code [05:00, 07:00)} UTC. A query literal of a local time in it is
 * ambiguous, and ServiceNow does not document which instant it reads, so none is ever written: a bound inside
 * the span is widened to its unambiguous neighbours, {@link #lastBefore()} and {@link #end()}. Immutable.
 *
 * @param start the first instant whose local time is repeated
 * @param end   the first instant after the span; its local time is unambiguous
 */
public record RepeatedHour(Instant start, Instant end) {

    /** The span of repeated local times that {@code time} (whole seconds) lies in, if any, for {@code zone}. */
    public static Optional<RepeatedHour> containing(Instant time, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(time.truncatedTo(ChronoUnit.SECONDS), zone);
        if (zone.getRules().getValidOffsets(local).size() < 2) {
            return Optional.empty();
        }
        ZoneOffsetTransition overlap = zone.getRules().getTransition(local);
        // The clock goes back by the transition's length: the span reaches that far either side of it.
        long length = -overlap.getDuration().getSeconds();
        return Optional.of(new RepeatedHour(overlap.getInstant().minusSeconds(length),
                overlap.getInstant().plusSeconds(length)));
    }

    /** Whether the local time of {@code time} names one instant only, so that it can be written in a query. */
    public static boolean isUnambiguous(Instant time, ZoneId zone) {
        return containing(time, zone).isEmpty();
    }

    /** {@code time}, or when its local time is repeated, the last second before the span: a bound widened down. */
    public static Instant unambiguousAtOrBefore(Instant time, ZoneId zone) {
        Instant bound = time.truncatedTo(ChronoUnit.SECONDS);
        for (Optional<RepeatedHour> span = containing(bound, zone); span.isPresent();
             span = containing(bound, zone)) {
            bound = span.get().lastBefore();
        }
        return bound;
    }

    /** {@code time}, or when its local time is repeated, the end of the span: a bound widened up. */
    public static Instant unambiguousAtOrAfter(Instant time, ZoneId zone) {
        Instant bound = time.truncatedTo(ChronoUnit.SECONDS);
        for (Optional<RepeatedHour> span = containing(bound, zone); span.isPresent();
             span = containing(bound, zone)) {
            bound = span.get().end();
        }
        return bound;
    }

    /** The last whole second before the span, whose local time is not repeated. */
    public Instant lastBefore() {
        return start.minusSeconds(1);
    }

    /** Whether {@code time} lies in the span. */
    public boolean contains(Instant time) {
        return !time.isBefore(start) && time.isBefore(end);
    }
}
