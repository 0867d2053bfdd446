package io.snkb.bridge.internal.source;

import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.RepeatedHour;
import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where one incremental read stands between its pages: a table's rows, its deletes or a reconciliation pass,
 * keyset on a date-time field and {@code sys_id}. It gives the query of each page and, from each page read, the
 * rows to handle and the next query.
 *
 * <p>Most pages continue after the last row read ({@link KeysetQueries#next}). A row in a {@link RepeatedHour}
 * of the session zone cannot be continued after, as no literal names its time. The scan then reads the whole
 * span by {@code sys_id} ({@link KeysetQueries#inRepeatedHour}), between the unambiguous seconds either side of
 * it, and drops the rows at or before the one it entered the span after, comparing raw UTC values; once that
 * read comes back empty it goes on with the keyset from the span's end. A lower bound in such a span is widened
 * down to the second before it. The cost: every row of the span is read again at each poll that starts in it.
 *
 * <p>Rows of the span come in {@code sys_id} order, so a position acknowledged there says nothing of the rows
 * not read yet: while the span is read, {@link #hold()} is the row it was entered after, and a stream's stored
 * position never moves past it ({@link #cap}). Rows inserted or updated into the span while it is read can fall
 * behind the {@code sys_id} reached, so only a read that began once the instance had stamped a row at or after
 * the span's end (its clock had left the span) lets go of the hold when done. After any other the hold stays,
 * and the next poll, which starts no later than the hold, reads the span again.
 *
 * <p>Not thread-safe: used on one scan's thread; only {@link #hold()} and {@link #cap} may be called from the
 * position writer.
 */
final class KeysetScan {
    private final String timeField;
    private final String tableQuery;
    private final Function<Map<String, String>, Position> positionOf;
    private ZoneId zone;
    private KeysetQueries queries;
    private String conditions;
    private Instant lowerBound;
    private Instant from;
    private Instant to;
    private String query;
    /** The span being read by {@code sys_id}, or {@code null}. */
    private RepeatedHour span;
    private Position enteredAfter;
    private boolean spanClosed;
    private final LatestStamp stamps;
    private volatile Position hold;

    /**
     * @param timeField  the date-time field of the keyset
     * @param tableQuery the table's own query, ANDed to every page
     * @param positionOf the keyset position of a row read
     * @param stamps     what the table's reads tell of the instance's clock; this scan adds what it reads
     * @param stored     the stream's stored position, or {@code null}
     */
    KeysetScan(String timeField, String tableQuery, Function<Map<String, String>, Position> positionOf,
               LatestStamp stamps, Position stored) {
        this.timeField = timeField;
        this.tableQuery = tableQuery;
        this.positionOf = positionOf;
        this.stamps = stamps;
        restart(stored);
    }

    /**
     * Starts reading the rows at or after {@code lowerBound} ({@code null}: all) and returns the first page's
     * query. The bound moves back to the hold, if any, so that a span not read safely yet is read again.
     */
    String start(ZoneId sessionZone, Instant lowerBound) {
        Position held = hold;
        Instant bound = lowerBound == null || held == null || lowerBound.isBefore(held.updatedOn()) ? lowerBound
                : held.updatedOn();
        return begin(sessionZone, bound, null, null, tableQuery);
    }

    /** Starts reading the rows with {@code from <= time <= to} and returns the first page's query. */
    String start(ZoneId sessionZone, Instant from, Instant to) {
        KeysetQueries upTo = new KeysetQueries(timeField, sessionZone);
        return begin(sessionZone, from, from, to, KeysetQueries.andEach(tableQuery, upTo.atOrBefore(to)));
    }

    private String begin(ZoneId sessionZone, Instant bound, Instant exactFrom, Instant exactTo, String where) {
        zone = sessionZone;
        queries = new KeysetQueries(timeField, sessionZone);
        conditions = where;
        from = exactFrom;
        to = exactTo;
        span = null;
        lowerBound = bound == null ? null : RepeatedHour.unambiguousAtOrBefore(bound, sessionZone);
        query = queries.first(lowerBound, conditions);
        return query;
    }

    /** Where the current read starts, widened out of a repeated hour: rows before it are not read again. */
    Instant lowerBound() {
        return lowerBound;
    }

    /** The query of the next page, or {@code null} when the read is done. */
    String query() {
        return query;
    }

    /**
     * Takes the page read for {@link #query()} (after any pages hidden by row-level ACLs were stepped over) and
     * moves to the next query; returns the page's rows to handle, in the order read. An empty page ends the
     * read, but for a repeated hour read by {@code sys_id}, after which the keyset goes on from its end.
     */
    List<Map<String, String>> advance(List<Map<String, String>> page) {
        if (page.isEmpty()) {
            query = span == null ? null : leaveSpan();
            return List.of();
        }
        List<Map<String, String>> rows = new ArrayList<>(page.size());
        Position last = null;
        for (Map<String, String> row : page) {
            last = positionOf.apply(row);
            stamps.saw(last.updatedOn());
            if (wanted(last)) {
                rows.add(row);
            }
        }
        if (span != null) {
            query = queries.inRepeatedHour(span, last.sysId(), conditions);
        } else {
            Optional<RepeatedHour> repeated = RepeatedHour.containing(last.updatedOn(), zone);
            query = repeated.isPresent() ? enterSpan(repeated.get(), last) : queries.next(last, conditions);
        }
        return rows;
    }

    /** The position a stream may not store past while a repeated hour is read, or {@code null}. */
    Position hold() {
        return hold;
    }

    /**
     * {@code committable}'s position, but not past the hold. The hold is read first: once it is let go every row
     * of the span is registered with the stream's tracker, so the tracker's position read after it is safe.
     */
    Position cap(Supplier<Position> committable) {
        Position held = hold;
        Position position = committable.get();
        return held == null || position == null || !position.isAfter(held) ? position : held;
    }

    /** Starts over from {@code position} as after a start: no span is being read, nothing held. */
    void restart(Position position) {
        hold = null;
        span = null;
        query = null;
        if (position != null) {
            stamps.saw(position.updatedOn());
        }
    }

    private boolean wanted(Position position) {
        if (span != null && !position.isAfter(enteredAfter)) {
            return false;
        }
        Instant time = position.updatedOn();
        return (from == null || !time.isBefore(from)) && (to == null || !time.isAfter(to));
    }

    private String enterSpan(RepeatedHour repeated, Position after) {
        span = repeated;
        enteredAfter = after;
        spanClosed = stamps.reached(repeated.end());
        Position held = hold;
        hold = held == null || held.isAfter(after) ? after : held;
        return queries.inRepeatedHour(repeated, null, conditions);
    }

    private String leaveSpan() {
        if (spanClosed) {
            hold = null;
        }
        Instant end = span.end();
        span = null;
        return queries.first(end, conditions);
    }
}
