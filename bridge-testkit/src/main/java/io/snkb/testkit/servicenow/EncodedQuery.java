package io.snkb.testkit.servicenow;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code sysparm_query}. {@code ^NQ} separates groups that are OR-ed; inside a group, conditions joined
 * by {@code ^} are AND-ed and a condition starting with {@code OR} is OR-ed with the one before it (OR binds
 * tighter than AND, as in ServiceNow). {@code ORDERBY}/{@code ORDERBYDESC} terms apply to the whole result
 * wherever they appear, in the order written.
 *
 * <p>Conditions on unknown fields are dropped, so the query matches more, unless the instance is configured to
 * return no rows for an invalid query. Immutable and thread-safe once parsed.
 */
final class EncodedQuery {

    private static final Pattern TERM = Pattern.compile("([a-z0-9_.]+)(ISNOTEMPTY|ISEMPTY|EMPTYSTRING|ANYTHING"
            + "|NOT IN|NOTLIKE|STARTSWITH|ENDSWITH|LIKE|IN|BETWEEN|NSAMEAS|SAMEAS|!=|>=|<=|=|>|<)(.*)",
            Pattern.DOTALL);
    private static final Pattern DATE_GENERATE = Pattern.compile(
            "javascript:gs\\.dateGenerate\\(\\s*'([0-9-]+)'\\s*,\\s*'([^']*)'\\s*\\)");

    /** Groups OR-ed; each group is a list of AND-ed clauses; each clause a list of OR-ed conditions. */
    private final List<List<List<Condition>>> groups;
    private final List<Order> orders;
    private final boolean matchesNothing;

    private EncodedQuery(List<List<List<Condition>>> groups, List<Order> orders, boolean matchesNothing) {
        this.groups = groups;
        this.orders = orders;
        this.matchesNothing = matchesNothing;
    }

    static EncodedQuery parse(String query, Context ctx) {
        List<List<List<Condition>>> groups = new ArrayList<>();
        List<Order> orders = new ArrayList<>();
        boolean invalid = false;
        if (query != null && !query.isBlank()) {
            for (String groupText : query.split("\\^NQ")) {
                List<List<Condition>> clauses = new ArrayList<>();
                for (String term : groupText.split("\\^")) {
                    invalid |= !addTerm(term, clauses, orders, ctx);
                }
                clauses.removeIf(List::isEmpty);
                groups.add(clauses);
            }
        }
        return new EncodedQuery(groups, orders, invalid && ctx.invalidReturnsNone());
    }

    /** Adds one term; false when it was an invalid condition (and was dropped). */
    private static boolean addTerm(String term, List<List<Condition>> clauses, List<Order> orders, Context ctx) {
        if (term.isEmpty() || term.equals("EQ") || term.startsWith("GROUPBY")) {
            return true;
        }
        if (term.startsWith("ORDERBYDESC")) {
            return addOrder(term.substring("ORDERBYDESC".length()), true, orders, ctx);
        }
        if (term.startsWith("ORDERBY")) {
            return addOrder(term.substring("ORDERBY".length()), false, orders, ctx);
        }
        boolean or = term.startsWith("OR") && !clauses.isEmpty();
        Condition c = Condition.parse(or ? term.substring(2) : term, ctx);
        if (c == null) {
            return false;
        }
        if (or) {
            clauses.get(clauses.size() - 1).add(c);
        } else {
            clauses.add(new ArrayList<>(List.of(c)));
        }
        return true;
    }

    private static boolean addOrder(String field, boolean desc, List<Order> orders, Context ctx) {
        if (!FieldPaths.isKnown(ctx.db(), ctx.table(), field)) {
            return true;
        }
        orders.add(new Order(field, desc));
        return true;
    }

    boolean matches(Map<String, String> row, Context ctx) {
        if (matchesNothing) {
            return false;
        }
        if (groups.isEmpty()) {
            return true;
        }
        for (List<List<Condition>> group : groups) {
            if (groupMatches(group, row, ctx)) {
                return true;
            }
        }
        return false;
    }

    private static boolean groupMatches(List<List<Condition>> group, Map<String, String> row, Context ctx) {
        for (List<Condition> clause : group) {
            if (clause.stream().noneMatch(c -> c.test(row, ctx))) {
                return false;
            }
        }
        return true;
    }

    /** Orders by the ORDERBY terms; rows equal on all of them keep their incoming ({@code sys_id}) order. */
    Comparator<Map<String, String>> comparator(Context ctx) {
        Comparator<Map<String, String>> result = (a, b) -> 0;
        for (Order o : orders) {
            Comparator<Map<String, String>> one = (a, b) -> compareValues(
                    value(ctx, a, o.field()), value(ctx, b, o.field()));
            result = result.thenComparing(o.descending() ? one.reversed() : one);
        }
        return result;
    }

    /**
     * Sorts {@code rows} stably by {@code order}. Values compare as integers only when both are, so a column mixing
     * integers and text orders no total way ({@code 9 < 10 < 1a < 9}) and {@link List#sort} may refuse it; a merge
     * sort gives one answer for one input order instead, as an instance gives some order for such a column.
     */
    static void sort(List<Map<String, String>> rows, Comparator<Map<String, String>> order) {
        if (rows.size() < 2) {
            return;
        }
        List<Map<String, String>> left = new ArrayList<>(rows.subList(0, rows.size() / 2));
        List<Map<String, String>> right = new ArrayList<>(rows.subList(rows.size() / 2, rows.size()));
        sort(left, order);
        sort(right, order);
        int l = 0;
        int r = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean fromLeft = r >= right.size() || l < left.size() && order.compare(left.get(l), right.get(r)) <= 0;
            rows.set(i, fromLeft ? left.get(l++) : right.get(r++));
        }
    }

    boolean isOrdered() {
        return !orders.isEmpty();
    }

    /** The ORDERBY terms in the order written. */
    List<Order> orders() {
        return orders;
    }

    /** True when the query is invalid and the instance answers no rows to invalid queries. */
    boolean matchesNothing() {
        return matchesNothing;
    }

    /** Whether a condition follows a reference into another table (a dot-walk). */
    boolean readsOtherTables() {
        return groups.stream().flatMap(List::stream).flatMap(List::stream).anyMatch(Condition::readsOtherTables);
    }

    /**
     * The values of {@code field} (a column of the table itself) outside which no row matches: what its
     * conditions {@code =}, {@code >}, {@code >=}, {@code <} and {@code <=} allow, over all OR-ed groups and
     * conditions. A literal bounds the range only when {@code comparesAsText} says that queries compare it with
     * the column's values as text; {@code =} compares text anyway.
     */
    ValueRange range(String field, Predicate<String> comparesAsText) {
        if (groups.isEmpty()) {
            return ValueRange.ALL;
        }
        ValueRange span = null;
        for (List<List<Condition>> group : groups) {
            ValueRange allowed = ValueRange.ALL;
            for (List<Condition> clause : group) {
                ValueRange either = clause.get(0).range(field, comparesAsText);
                for (Condition c : clause.subList(1, clause.size())) {
                    either = either.span(c.range(field, comparesAsText));
                }
                allowed = allowed.intersect(either);
            }
            span = span == null ? allowed : span.span(allowed);
        }
        return span;
    }

    /**
     * For a query of one group, the values each column of the table itself must have: those of a condition
     * {@code field=value} or {@code fieldINa,b,c} not OR-ed with anything, the first one written where there are
     * several; empty for other queries.
     */
    Map<String, List<String>> requiredValues() {
        Map<String, List<String>> found = new LinkedHashMap<>();
        if (groups.size() == 1) {
            for (List<Condition> clause : groups.get(0)) {
                Condition c = clause.get(0);
                if (clause.size() == 1 && !c.field().contains(".")) {
                    switch (c.op()) {
                        case "=" -> found.putIfAbsent(c.field(), List.of(c.value()));
                        case "IN" -> found.putIfAbsent(c.field(), c.list());
                        default -> { }
                    }
                }
            }
        }
        return found;
    }

    private static String value(Context ctx, Map<String, String> row, String field) {
        String v = FieldPaths.resolve(ctx.db(), ctx.table(), row, field);
        return v == null ? "" : v;
    }

    /**
     * Compares two raw values: numerically when both are integers, otherwise as strings. Raw date-times are
     * UTC {@code yyyy-MM-dd HH:mm:ss}, so comparing them as strings compares instants.
     */
    static int compareValues(String a, String b) {
        if (isInteger(a) && isInteger(b)) {
            try {
                return Long.compare(Long.parseLong(a), Long.parseLong(b));
            } catch (NumberFormatException tooLong) {
                return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
            }
        }
        return a.compareTo(b);
    }

    static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() <= start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a query needs from its surroundings: the table, the database for dot-walks, the user's zone, whether
     * plain date-time literals are read in that zone too (as some instances do) instead of as UTC, and which
     * instant a local time the zone repeats is read as.
     */
    record Context(SimDatabase db, SimTable table, ZoneId userZone, boolean invalidReturnsNone,
                   boolean plainLiteralsInUserZone, RepeatedHourReading repeatedHour) {
        Context(SimDatabase db, SimTable table, ZoneId userZone, boolean invalidReturnsNone) {
            this(db, table, userZone, invalidReturnsNone, false, RepeatedHourReading.EARLIER);
        }
    }

    /** One ORDERBY ({@code descending} false) or ORDERBYDESC term. */
    record Order(String field, boolean descending) {
    }

    /** One condition {@code field OP value}. */
    private record Condition(String field, String op, String value, List<String> list) {

        static Condition parse(String text, Context ctx) {
            Matcher m = TERM.matcher(text);
            if (!m.matches() || !FieldPaths.isKnown(ctx.db(), ctx.table(), m.group(1))) {
                return null;
            }
            String field = m.group(1);
            SimTable owner = FieldPaths.ownerOf(ctx.db(), ctx.table(), field);
            boolean dateTime = owner.isDateTime(FieldPaths.lastSegment(field));
            String value = literal(m.group(3), dateTime, ctx);
            List<String> list = List.of(value.split(",", -1));
            if (dateTime) {
                list = list.stream().map(SimTimes::normalizeLiteral).toList();
            }
            return new Condition(field, m.group(2), value, list);
        }

        private static String literal(String raw, boolean dateTime, Context ctx) {
            ZoneId zone = ctx.userZone();
            Matcher g = DATE_GENERATE.matcher(raw);
            if (g.matches()) {
                String time = switch (g.group(2)) {
                    case "start" -> "00:00:00";
                    case "end" -> "23:59:59";
                    default -> g.group(2);
                };
                return SimTimes.localToRaw(g.group(1), time, zone, ctx.repeatedHour());
            }
            if (!dateTime || raw.contains(",") || raw.contains("@")) {
                return raw;
            }
            String normalized = SimTimes.normalizeLiteral(raw);
            if (ctx.plainLiteralsInUserZone() && SimTimes.isRaw(normalized)) {
                return SimTimes.localToRaw(normalized.substring(0, 10), normalized.substring(11), zone,
                        ctx.repeatedHour());
            }
            return normalized;
        }

        boolean readsOtherTables() {
            return field.contains(".") || (op.equals("SAMEAS") || op.equals("NSAMEAS")) && value.contains(".");
        }

        ValueRange range(String column, Predicate<String> comparesAsText) {
            if (!field.equals(column)) {
                return ValueRange.ALL;
            }
            if (op.equals("=")) {
                return ValueRange.exactly(value);
            }
            if (!comparesAsText.test(value)) {
                return ValueRange.ALL;
            }
            return switch (op) {
                case ">" -> ValueRange.from(value, false);
                case ">=" -> ValueRange.from(value, true);
                case "<" -> ValueRange.to(value, false);
                case "<=" -> ValueRange.to(value, true);
                default -> ValueRange.ALL;
            };
        }

        boolean test(Map<String, String> row, Context ctx) {
            String raw = FieldPaths.resolve(ctx.db(), ctx.table(), row, field);
            String v = raw == null ? "" : raw;
            return switch (op) {
                case "=" -> v.equals(value);
                case "!=" -> !v.equals(value);
                case ">" -> !v.isEmpty() && compareValues(v, value) > 0;
                case ">=" -> !v.isEmpty() && compareValues(v, value) >= 0;
                case "<" -> !v.isEmpty() && compareValues(v, value) < 0;
                case "<=" -> !v.isEmpty() && compareValues(v, value) <= 0;
                case "ISEMPTY" -> v.isEmpty();
                case "ISNOTEMPTY" -> !v.isEmpty();
                case "EMPTYSTRING" -> raw != null && raw.isEmpty();
                case "ANYTHING" -> true;
                case "IN" -> list.contains(v);
                case "NOT IN" -> !list.contains(v);
                case "STARTSWITH" -> lower(v).startsWith(lower(value));
                case "ENDSWITH" -> lower(v).endsWith(lower(value));
                case "LIKE" -> lower(v).contains(lower(value));
                case "NOTLIKE" -> !lower(v).contains(lower(value));
                case "BETWEEN" -> between(v);
                case "SAMEAS" -> v.equals(nonNull(FieldPaths.resolve(ctx.db(), ctx.table(), row, value)));
                case "NSAMEAS" -> !v.equals(nonNull(FieldPaths.resolve(ctx.db(), ctx.table(), row, value)));
                default -> false;
            };
        }

        private boolean between(String v) {
            int at = value.indexOf('@');
            if (at < 0 || v.isEmpty()) {
                return false;
            }
            String lo = SimTimes.normalizeLiteral(value.substring(0, at));
            String hi = SimTimes.normalizeLiteral(value.substring(at + 1));
            return compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
        }

        private static String lower(String s) {
            return s.toLowerCase(java.util.Locale.ROOT);
        }

        private static String nonNull(String s) {
            return s == null ? "" : s;
        }
    }
}
