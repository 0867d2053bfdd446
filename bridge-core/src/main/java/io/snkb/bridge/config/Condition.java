package io.snkb.bridge.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * When a key applies: sibling keys having given values, any one of which is enough. A key that does not
 * apply must not be set; a required key that applies must be. Immutable.
 *
 * @param clauses the alternatives
 */
record Condition(List<Clause> clauses) {

    Condition {
        clauses = List.copyOf(clauses);
    }

    /**
     * One alternative: {@code key} (a sibling in the section named {@code section}) has {@code value}.
     */
    record Clause(String section, ConfigKey<?> key, Object value) {
        String describe() {
            return subject() + " is " + key.type().print(value);
        }

        String subject() {
            return section.isEmpty() ? key.name() : section + "." + key.name();
        }
    }

    static Condition when(String section, ConfigKey<?> key, Object... values) {
        List<Clause> clauses = new ArrayList<>();
        for (Object value : values) {
            clauses.add(new Clause(section, key, value));
        }
        return new Condition(clauses);
    }

    Condition or(String section, ConfigKey<?> key, Object value) {
        List<Clause> more = new ArrayList<>(clauses);
        more.add(new Clause(section, key, value));
        return new Condition(more);
    }

    /** E.g. {@code auth.type is basic or auth.grant is password}, {@code operation is update or delete}. */
    String describe() {
        Map<String, List<String>> valuesBySubject = new LinkedHashMap<>();
        for (Clause c : clauses) {
            valuesBySubject.computeIfAbsent(c.subject(), s -> new ArrayList<>()).add(c.key().type().print(c.value()));
        }
        return valuesBySubject.entrySet().stream()
                .map(e -> e.getKey() + " is " + alternatives(e.getValue()))
                .collect(Collectors.joining(" or "));
    }

    private static String alternatives(List<String> values) {
        int last = values.size() - 1;
        return last == 0 ? values.get(0) : String.join(", ", values.subList(0, last)) + " or " + values.get(last);
    }
}
