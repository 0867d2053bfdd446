package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds the encoded queries of incremental keyset reads ordered by a date-time field and {@code sys_id}:
 * {@code sys_updated_on} for a table's rows, {@code sys_created_on} for its entries in
 * {@code sys_audit_delete}. Date-time literals are written for the session time zone of the integration
 * user (see {@link ServiceNowTime#queryLiteral(Instant, ZoneId)}).
 *
 * <p>A table's own query is ANDed to every condition group. ServiceNow's {@code ^NQ} starts a new OR-ed
 * group that does not inherit the conditions before it, so the table query is repeated in each group;
 * a table query that has groups of its own is distributed over ours ({@code (a|b)&(x|y)} becomes
 * {@code ax|ay|bx|by}). Thread-safe.
 */
public final class KeysetQueries {
    static final String ORDER = "ORDERBYsys_updated_on^ORDERBYsys_id";
    static final String ID_ORDER = "ORDERBYsys_id";
    private static final String NEW_QUERY = "^NQ";
    private static final KeysetQueries UPDATED_UTC = new KeysetQueries("sys_updated_on", ZoneOffset.UTC);

    private final String timeField;
    private final ZoneId zone;

    /**
     * @param timeField the date-time field of the keyset, e.g. {@code sys_updated_on}
     * @param zone      the session time zone of the integration user, in which literals are written
     */
    public KeysetQueries(String timeField, ZoneId zone) {
        this.timeField = Objects.requireNonNull(timeField, "timeField");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * The first page of a poll: every row whose time field is at or after {@code lowerBound}, or the whole
     * table when it is {@code null} (the first run). A bound in a {@link RepeatedHour} is widened down to the
     * last second before it, so the page may start with earlier rows.
     */
    public String first(Instant lowerBound, String tableQuery) {
        String bound = lowerBound == null ? ""
                : timeField + ">=" + literal(RepeatedHour.unambiguousAtOrBefore(lowerBound, zone));
        return build(List.of(bound), tableQuery);
    }

    /**
     * The page after the row at {@code after}, strictly later in keyset order. Its time must not lie in a
     * {@link RepeatedHour}, where no literal names it: read that span with {@link #inRepeatedHour} instead.
     */
    public String next(Position after, String tableQuery) {
        String time = literal(after.updatedOn());
        return build(List.of(timeField + ">" + time, timeField + "=" + time + "^sys_id>" + after.sysId()),
                tableQuery);
    }

    /**
     * A page of every row whose time field lies in {@code span}, ordered by {@code sys_id} alone and after
     * {@code afterSysId} ({@code null} for the first page): the bounds are the unambiguous seconds either side of
     * the span, so the instance reads the same rows whichever instant it gives a repeated local time.
     */
    public String inRepeatedHour(RepeatedHour span, String afterSysId, String tableQuery) {
        List<String> bounds = List.of(timeField + ">" + literal(span.lastBefore()),
                timeField + "<" + literal(span.end()));
        return byId(afterSysId, bounds, tableQuery);
    }

    /**
     * The condition that the time field is at or before {@code upperBound}; a bound in a {@link RepeatedHour} is
     * widened up to the span's end, so rows after {@code upperBound} may match.
     */
    public String atOrBefore(Instant upperBound) {
        if (RepeatedHour.isUnambiguous(upperBound, zone)) {
            return timeField + "<=" + literal(upperBound);
        }
        return timeField + "<" + literal(RepeatedHour.unambiguousAtOrAfter(upperBound, zone));
    }

    /** {@link #first} on {@code sys_updated_on} for a user whose session zone is UTC. */
    public static String firstPage(Instant lowerBound, String tableQuery) {
        return UPDATED_UTC.first(lowerBound, tableQuery);
    }

    /** {@link #next} on {@code sys_updated_on} for a user whose session zone is UTC. */
    public static String nextPage(Position after, String tableQuery) {
        return UPDATED_UTC.next(after, tableQuery);
    }

    /**
     * {@code query} with {@code condition} ANDed to each of its {@code ^NQ} groups (a condition appended at the
     * end would bind to the last group only).
     */
    public static String andEach(String query, String condition) {
        return String.join(NEW_QUERY, groups(query).stream().map(g -> and(condition, g)).toList());
    }

    /**
     * A page of a backfill, which reads by {@code sys_id} alone: {@code sys_id} never changes, so a row
     * updated while the backfill runs can neither be skipped nor read twice by it.
     *
     * @param after      the last {@code sys_id} read in this range, or {@code null} for its first page
     * @param conditions the range's own bounds and filters, ANDed; none may contain {@code ^NQ}
     * @param queries    table queries ANDed to the conditions; each may have {@code ^NQ} groups
     */
    public static String byId(String after, List<String> conditions, String... queries) {
        List<String> keyset = new ArrayList<>(conditions);
        if (after != null) {
            keyset.add("sys_id>" + after);
        }
        List<String> groups = List.of(keyset.stream().filter(c -> !c.isEmpty()).reduce(KeysetQueries::and)
                .orElse(""));
        for (String query : queries) {
            validateTableQuery(query);
            groups = distribute(groups, query);
        }
        String combined = String.join(NEW_QUERY, groups);
        return combined.isEmpty() ? ID_ORDER : combined + "^" + ID_ORDER;
    }

    /**
     * Checks that a table query can be combined with the keyset; throws {@link IllegalArgumentException}
     * when it sets its own ordering, which would break the keyset.
     */
    public static void validateTableQuery(String tableQuery) {
        for (String term : Objects.requireNonNull(tableQuery, "tableQuery").split("\\^")) {
            String trimmed = term.trim();
            if (trimmed.startsWith("ORDERBY") || trimmed.startsWith("GROUPBY")) {
                throw new IllegalArgumentException("The table query must not contain '" + trimmed
                        + "': rows are always read ordered by sys_updated_on, sys_id");
            }
        }
    }

    private String literal(Instant time) {
        return ServiceNowTime.queryLiteral(time, zone);
    }

    private String build(List<String> keysetGroups, String tableQuery) {
        validateTableQuery(tableQuery);
        String conditions = String.join(NEW_QUERY, distribute(keysetGroups, tableQuery));
        String order = "ORDERBY" + timeField + "^ORDERBYsys_id";
        return conditions.isEmpty() ? order : conditions + "^" + order;
    }

    /** Each of {@code groups} ANDed with each OR-ed group of {@code tableQuery}. */
    private static List<String> distribute(List<String> groups, String tableQuery) {
        List<String> combined = new ArrayList<>();
        for (String group : groups) {
            for (String table : groups(tableQuery)) {
                combined.add(and(group, table));
            }
        }
        return combined;
    }

    private static List<String> groups(String tableQuery) {
        List<String> groups = Arrays.stream(tableQuery.trim().split("\\^NQ", -1))
                .map(g -> g.trim().replaceAll("^\\^+|\\^+$", ""))
                .filter(g -> !g.isEmpty())
                .toList();
        return groups.isEmpty() ? List.of("") : groups;
    }

    private static String and(String left, String right) {
        if (left.isEmpty()) {
            return right;
        }
        return right.isEmpty() ? left : left + "^" + right;
    }
}
