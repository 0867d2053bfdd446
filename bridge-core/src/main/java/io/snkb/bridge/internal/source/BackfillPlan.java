package io.snkb.bridge.internal.source;

import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.servicenow.RepeatedHour;
import io.snkb.bridge.internal.servicenow.ServiceNowTime;
import io.snkb.bridge.spi.PositionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What one backfill copies: the rows of one table of one instance, optionally only those with
 * {@code from <= sys_updated_on < to} and matching an extra encoded query, split into {@code concurrency}
 * {@code sys_id} ranges. Immutable.
 *
 * <p>The plan names its positions after a digest of everything that selects rows (bounds, queries, split):
 * running the same backfill again resumes it, while a backfill with other bounds starts afresh and never
 * mistakes another's positions for its own.
 *
 * @param instance    the instance's configured name
 * @param table       the table's configuration: topic, fields, page size and its own query
 * @param from        the earliest {@code sys_updated_on} copied, or {@code null}; ServiceNow stamps whole seconds,
 *                    so a fraction of a second is rounded up to the next whole one
 * @param to          the first {@code sys_updated_on} no longer copied, or {@code null}; rounded up as
 *                    {@code from} is, so that a row stamped before it is still copied
 * @param query       an encoded query ANDed to the table's, or {@code ""}
 * @param concurrency how many ranges are read at once
 */
public record BackfillPlan(String instance, TableConfig table, Instant from, Instant to, String query,
                           int concurrency) {
    /** The prefix of the streams under which a backfill keeps its positions. */
    public static final String STREAM_PREFIX = "backfill.";

    public BackfillPlan {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(table, "table");
        query = query == null ? "" : query.trim();
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("The backfill's 'from' (" + from + ") must be before its 'to' ("
                    + to + ")");
        }
        Instant givenFrom = from;
        from = wholeSecondAtOrAfter(from);
        to = wholeSecondAtOrAfter(to);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("No sys_updated_on lies between the backfill's 'from' (" + givenFrom
                    + ") and its 'to' (" + to + "): ServiceNow stamps whole seconds");
        }
        if (concurrency < 1 || concurrency > SysIdRange.MAX_COUNT) {
            throw new IllegalArgumentException("The backfill concurrency must be from 1 to "
                    + SysIdRange.MAX_COUNT + ": " + concurrency);
        }
    }

    private static Instant wholeSecondAtOrAfter(Instant time) {
        if (time == null || time.getNano() == 0) {
            return time;
        }
        return time.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    }

    /**
     * The {@code sys_updated_on} bounds as encoded query conditions, for a session user in {@code zone}. A bound
     * in a {@link RepeatedHour} is widened out of it, as no literal names it; {@link #covers} drops the extra rows.
     */
    List<String> bounds(ZoneId zone) {
        List<String> bounds = new ArrayList<>();
        if (from != null) {
            bounds.add("sys_updated_on>=" + ServiceNowTime.queryLiteral(RepeatedHour.unambiguousAtOrBefore(from,
                    zone), zone));
        }
        if (to != null) {
            bounds.add("sys_updated_on<" + ServiceNowTime.queryLiteral(RepeatedHour.unambiguousAtOrAfter(to, zone),
                    zone));
        }
        return bounds;
    }

    /** Whether a row updated at {@code updatedOn} lies within {@code from <= sys_updated_on < to}. */
    boolean covers(Instant updatedOn) {
        return (from == null || !updatedOn.isBefore(from)) && (to == null || updatedOn.isBefore(to));
    }

    List<SysIdRange> ranges() {
        return SysIdRange.split(concurrency);
    }

    /** The key of {@code range}'s position, e.g. {@code prod/incident/backfill.1a2b3c4d.2of4}. */
    PositionKey keyOf(SysIdRange range) {
        return new PositionKey(instance, table.name(), STREAM_PREFIX + digest() + "." + range.name());
    }

    /** Eight hexadecimal digits that change whenever the selection of rows or the split changes. */
    String digest() {
        String identity = String.join("\n", String.valueOf(from), String.valueOf(to), table.query(), query,
                String.valueOf(concurrency));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
