package io.snkb.bridge.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable row of field values, in the order they were read: a {@code Map} whose values may be
 * {@code null} (distinct from {@code ""}). Rows read from one page usually name the same fields in the same
 * order, so they share one copy of the names and hold only an array of values each, where a hash map would
 * hold an entry object per field. Thread-safe.
 */
public final class Row extends AbstractMap<String, String> {
    private static final Row EMPTY = new Row(new Names(new String[0]), new String[0]);

    private final Names names;
    private final String[] values;

    private Row(Names names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** {@code fields} itself when it is a {@code Row}, else an immutable copy of it in its iteration order. */
    public static Row copyOf(Map<String, String> fields) {
        if (fields instanceof Row row) {
            return row;
        }
        Builder builder = new Builder();
        fields.forEach(builder::put);
        return builder.build();
    }

    /** A row with no field. */
    public static Row empty() {
        return EMPTY;
    }

    @Override
    public String get(Object field) {
        Integer at = names.index.get(field);
        return at == null ? null : values[at];
    }

    @Override
    public boolean containsKey(Object field) {
        return names.index.containsKey(field);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < values.length; i++) {
            action.accept(names.names[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(names.names[at], values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    /** The field names of rows, with the position of each; shared by rows naming the same fields in order. */
    private static final class Names {
        private final String[] names;
        private final Map<String, Integer> index;

        private Names(String[] names) {
            this.names = names;
            this.index = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
        }

        private boolean sameAs(String[] other, int count) {
            if (names.length != count) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                // Parsers hand out the same String for the same name, so identity is the usual match.
                if (names[i] != other[i] && !names[i].equals(other[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Builds rows one after the other, reusing the names of the previous row when the next names the same
     * fields in the same order. A field put twice keeps its first position and its last value, as a
     * {@link LinkedHashMap} would. Not thread-safe.
     */
    public static final class Builder {
        private Names last;
        private String[] names = new String[64];
        private String[] values = new String[64];
        private int count;

        /** Adds a field of the row being built. */
        public Builder put(String name, String value) {
            if (name == null) {
                throw new NullPointerException("field name");
            }
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            names[count] = name;
            values[count] = value;
            count++;
            return this;
        }

        /** The row of the fields put since the last row was built; the builder is then empty again. */
        public Row build() {
            if (last == null || !last.sameAs(names, count)) {
                Names fresh = new Names(Arrays.copyOf(names, count));
                if (fresh.index.size() < count) {
                    return withoutRepeats();
                }
                last = fresh;
            }
            Row row = new Row(last, Arrays.copyOf(values, count));
            clear();
            return row;
        }

        /** A row some of whose fields were put more than once. */
        private Row withoutRepeats() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                fields.put(names[i], values[i]);
            }
            clear();
            fields.forEach(this::put);
            return build();
        }

        private void clear() {
            Arrays.fill(names, 0, count, null);
            Arrays.fill(values, 0, count, null);
            count = 0;
        }
    }
}
