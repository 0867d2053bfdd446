package io.snkb.testkit.servicenow;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the values of one column that queries compare as integers ({@link EncodedQuery#compareValues}), to tell
 * whether text order is also query order. Not thread-safe: guarded by the owning table's lock.
 */
final class IntegerValues {

    /** Integers of ASCII digits without a sign, by length: those of one length order alike as text. */
    private final Map<Integer, Integer> byLength = new HashMap<>();
    /** Integers with a sign or with digits of other scripts, which text order gets wrong. */
    private int irregular;

    void add(String value) {
        count(value, 1);
    }

    void remove(String value) {
        count(value, -1);
    }

    private void count(String value, int delta) {
        if (value == null || !EncodedQuery.isInteger(value)) {
            return;
        }
        if (value.startsWith("-") || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            irregular += delta;
        } else {
            byLength.merge(value.length(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /** Whether every two values compare in a query as they do as text. */
    boolean orderAsText() {
        return irregular == 0 && byLength.size() <= 1;
    }

    /** Whether {@code literal} compares with every value in a query as it does as text. */
    boolean compareAsText(String literal) {
        return !EncodedQuery.isInteger(literal) || irregular == 0 && byLength.isEmpty();
    }
}
