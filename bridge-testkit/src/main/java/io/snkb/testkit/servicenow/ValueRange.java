package io.snkb.testkit.servicenow;

import java.util.Collections;
import java.util.NavigableMap;

/**
 * An interval of raw values in text order, each end open ({@code null}) or bounded, inclusive or not: the values
 * of a column outside which no row can match a query. Immutable.
 */
record ValueRange(String lower, boolean lowerInclusive, String upper, boolean upperInclusive) {

    static final ValueRange ALL = new ValueRange(null, false, null, false);

    static ValueRange exactly(String value) {
        return new ValueRange(value, true, value, true);
    }

    static ValueRange from(String value, boolean inclusive) {
        return new ValueRange(value, inclusive, null, false);
    }

    static ValueRange to(String value, boolean inclusive) {
        return new ValueRange(null, false, value, inclusive);
    }

    boolean isAll() {
        return lower == null && upper == null;
    }

    /** The values in both ranges. */
    ValueRange intersect(ValueRange other) {
        boolean otherLower = lower == null || other.lower != null && other.lower.compareTo(lower) > 0;
        boolean otherUpper = upper == null || other.upper != null && other.upper.compareTo(upper) < 0;
        String lo = otherLower ? other.lower : lower;
        boolean loIn = otherLower ? other.lowerInclusive : lowerInclusive && (!lower.equals(other.lower)
                || other.lowerInclusive);
        String hi = otherUpper ? other.upper : upper;
        boolean hiIn = otherUpper ? other.upperInclusive : upperInclusive && (!upper.equals(other.upper)
                || other.upperInclusive);
        return new ValueRange(lo, loIn, hi, hiIn);
    }

    /** The smallest range holding both. */
    ValueRange span(ValueRange other) {
        String lo = lower == null || other.lower == null ? null : min(lower, other.lower);
        boolean loIn = lo != null && (lo.equals(lower) && lowerInclusive || lo.equals(other.lower)
                && other.lowerInclusive);
        String hi = upper == null || other.upper == null ? null : max(upper, other.upper);
        boolean hiIn = hi != null && (hi.equals(upper) && upperInclusive || hi.equals(other.upper)
                && other.upperInclusive);
        return new ValueRange(lo, loIn, hi, hiIn);
    }

    boolean isEmpty() {
        if (lower == null || upper == null) {
            return false;
        }
        int c = lower.compareTo(upper);
        return c > 0 || c == 0 && !(lowerInclusive && upperInclusive);
    }

    /** The part of {@code map} whose keys are in this range. */
    <V> NavigableMap<String, V> of(NavigableMap<String, V> map) {
        if (isEmpty()) {
            return Collections.emptyNavigableMap();
        }
        if (lower == null) {
            return upper == null ? map : map.headMap(upper, upperInclusive);
        }
        return upper == null ? map.tailMap(lower, lowerInclusive)
                : map.subMap(lower, lowerInclusive, upper, upperInclusive);
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
