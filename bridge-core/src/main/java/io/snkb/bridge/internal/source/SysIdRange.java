package io.snkb.bridge.internal.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One of the disjoint {@code sys_id} ranges a backfill is split into: from {@code lower} (inclusive) to
 * {@code upper} (exclusive), either open when {@code null}. Together the ranges of a split cover every
 * possible {@code sys_id}, whatever its characters.
 *
 * <p>Bounds are two hexadecimal digits. ServiceNow generates {@code sys_id}s as 32 random-looking hexadecimal
 * digits, so equal shares of that space hold about equal shares of a table; a table whose rows were given
 * other {@code sys_id}s still gets copied whole, only less evenly spread. Immutable.
 *
 * @param index 0-based number of this range
 * @param count how many ranges the split has
 * @param lower the smallest {@code sys_id} prefix in the range, or {@code null} for no lower bound
 * @param upper the first prefix after the range, or {@code null} for no upper bound
 */
record SysIdRange(int index, int count, String lower, String upper) {
    /** The most ranges a split can have: one per two-digit prefix. */
    static final int MAX_COUNT = 256;

    /** {@code count} disjoint ranges covering every {@code sys_id}. */
    static List<SysIdRange> split(int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("A backfill splits into 1 to " + MAX_COUNT + " ranges, not " + count);
        }
        List<SysIdRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ranges.add(new SysIdRange(i, count, i == 0 ? null : bound(i, count),
                    i == count - 1 ? null : bound(i + 1, count)));
        }
        return ranges;
    }

    /** The range's bounds and {@code extra} as encoded query conditions, to be ANDed. */
    List<String> conditions(List<String> extra) {
        List<String> conditions = new ArrayList<>();
        if (lower != null) {
            conditions.add("sys_id>=" + lower);
        }
        if (upper != null) {
            conditions.add("sys_id<" + upper);
        }
        conditions.addAll(extra);
        return conditions;
    }

    /** A stable name for position keys and logs, e.g. {@code 2of4}. */
    String name() {
        return (index + 1) + "of" + count;
    }

    @Override
    public String toString() {
        return name() + "[" + (lower == null ? "" : lower) + ".." + (upper == null ? "" : upper) + ")";
    }

    private static String bound(int i, int count) {
        return String.format(Locale.ROOT, "%02x", i * 256 / count);
    }
}
