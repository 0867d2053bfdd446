package io.snkb.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a YAML tree to the {@link ConfigSchema}: substitutes references in every scalar, converts and
 * validates each value, applies defaults and collects every problem instead of stopping at the first.
 * Not thread-safe; one binder serves one load.
 */
final class ConfigBinder {

    private final Substitution substitution;
    private final List<ConfigProblem> problems;

    ConfigBinder(Substitution substitution, List<ConfigProblem> problems) {
        this.substitution = substitution;
        this.problems = problems;
    }

    /** The bound root; when problems were added, some values in it are missing. */
    Bound bind(JsonNode root) {
        if (root != null && !root.isNull() && !root.isObject()) {
            problems.add(ConfigProblem.syntax(1, 1,
                    "the file must be a mapping of keys to values, not " + kindOf(root)));
        }
        Bound bound = bindSection(ConfigSchema.ROOT, root, "");
        resolveDefaults(bound, bound);
        checkReferences(bound);
        return bound;
    }

    private Bound bindSection(ConfigSection section, JsonNode node, String path) {
        Bound bound = new Bound(section, path);
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> bindField(bound, field.getKey(), field.getValue()));
        }
        for (ConfigKey<?> key : section.keys()) {
            if (!bound.isExplicit(key) && !bound.isFailed(key)) {
                bindAbsent(bound, key);
            }
        }
        checkApplicability(bound);
        return bound;
    }

    private void bindField(Bound bound, String name, JsonNode value) {
        ConfigKey<?> key = bound.section().key(name).orElse(null);
        String path = bound.path().isEmpty() ? name : bound.path() + "." + name;
        if (key == null) {
            problems.add(ConfigProblem.unknownKey(path, KeySuggestion.reason(name, bound.section())));
        } else if (!value.isNull()) {
            bound.markExplicit(key);
            Object converted = bindValue(key, value, path);
            if (converted == null) {
                bound.markFailed(key);
            } else {
                bound.put(key, converted);
            }
        }
    }

    private void bindAbsent(Bound bound, ConfigKey<?> key) {
        if (key.shape() == ConfigKey.Shape.SECTION) {
            bound.put(key, bindSection(key.section(), null, bound.pathOf(key)));
            return;
        }
        if (key.required() && key.appliesWhen() == null) {
            problems.add(ConfigProblem.missing(bound.pathOf(key), "required"));
            bound.markFailed(key);
            return;
        }
        bound.put(key, key.defaultValue());
    }

    private Object bindValue(ConfigKey<?> key, JsonNode node, String path) {
        Object value = switch (key.shape()) {
            case SCALAR -> bindScalar(key.type(), node, path);
            case LIST -> bindList(key.type(), node, path);
            case MAP -> bindMap(node, path);
            case SECTION -> node.isObject() ? bindSection(key.section(), node, path) : notA("mapping", node, path);
            case SECTION_LIST -> bindSectionList(key.section(), node, path);
        };
        if (value == null || key.shape() == ConfigKey.Shape.SECTION) {
            return value;
        }
        return passesRules(key, value, node, path) ? value : null;
    }

    private Object bindScalar(ValueType<?> type, JsonNode node, String path) {
        if (!node.isTextual()) {
            return notA("single value", node, path);
        }
        Substitution.Result substituted = substitution.apply(node.asText());
        if (!substituted.errors().isEmpty()) {
            String shown = type.shown(node.asText());
            substituted.errors().forEach(e -> problems.add(ConfigProblem.invalid(path, shown, e)));
            return null;
        }
        try {
            return type.parse(substituted.value());
        } catch (ValueException e) {
            problems.add(ConfigProblem.invalid(path, type.shown(substituted.value()), e.getMessage()));
            return null;
        }
    }

    private List<Object> bindList(ValueType<?> type, JsonNode node, String path) {
        if (!node.isArray()) {
            return notA("list", node, path);
        }
        List<Object> values = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < node.size(); i++) {
            Object value = node.get(i).isNull() ? notA("value", node.get(i), path + "[" + i + "]")
                    : bindScalar(type, node.get(i), path + "[" + i + "]");
            failed |= value == null;
            values.add(value);
        }
        return failed ? null : List.copyOf(values);
    }

    // The only map is kafka.properties, so whether a value is a credential is Kafka's rule.
    private Map<String, String> bindMap(JsonNode node, String path) {
        if (!node.isObject()) {
            return notA("mapping", node, path);
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean failed = false;
        for (Map.Entry<String, JsonNode> e : iterable(node)) {
            ValueType<?> type = KafkaConfig.isSensitive(e.getKey()) ? ValueType.SECRET : ValueType.STRING;
            Object value = bindScalar(type, e.getValue(), path + "." + e.getKey());
            failed |= value == null;
            if (value != null) {
                values.put(e.getKey(), value instanceof Secret s ? s.reveal() : (String) value);
            }
        }
        return failed ? null : values;
    }

    private List<Bound> bindSectionList(ConfigSection section, JsonNode node, String path) {
        if (!node.isArray()) {
            return notA("list", node, path);
        }
        List<Bound> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String itemPath = path + "[" + i + "]";
            if (node.get(i).isObject()) {
                items.add(bindSection(section, node.get(i), itemPath));
            } else {
                notA("mapping", node.get(i), itemPath);
            }
        }
        checkUnique(section, items);
        return items.size() == node.size() ? items : null;
    }

    private boolean passesRules(ConfigKey<?> key, Object value, JsonNode node, String path) {
        for (Rule<?> rule : key.rules()) {
            @SuppressWarnings("unchecked")
            Rule<Object> r = (Rule<Object>) rule;
            if (!r.test().test(value)) {
                problems.add(ConfigProblem.invalid(path, shown(key, value, node), r.reason()));
                return false;
            }
        }
        return true;
    }

    private void checkUnique(ConfigSection section, List<Bound> items) {
        for (ConfigKey<?> key : section.keys()) {
            if (!key.unique()) {
                continue;
            }
            Map<Object, String> firstPath = new HashMap<>();
            for (Bound item : items) {
                Object value = item.get(key);
                String earlier = value == null ? null : firstPath.putIfAbsent(value, item.path());
                if (earlier != null) {
                    problems.add(ConfigProblem.invalid(item.pathOf(key), key.type().shown(String.valueOf(value)),
                            "must be unique: " + earlier + " has the same " + key.name()));
                }
            }
        }
    }

    // A key that applies only in some cases must be set in those cases and left out in the others.
    private void checkApplicability(Bound bound) {
        for (ConfigKey<?> key : bound.section().keys()) {
            Condition condition = key.appliesWhen();
            if (condition == null || bound.isFailed(key)) {
                continue;
            }
            Applies applies = evaluate(condition, bound);
            if (applies.decided && applies.matched == null) {
                if (bound.isExplicit(key)) {
                    problems.add(ConfigProblem.invalid(bound.pathOf(key), shown(key, bound.get(key), null),
                            "only used when " + condition.describe()));
                }
                bound.remove(key);
            } else if (applies.matched != null && key.required() && bound.get(key) == null) {
                problems.add(ConfigProblem.missing(bound.pathOf(key), "required when " + applies.matched.describe()));
                bound.markFailed(key);
            }
        }
    }

    /** Whether a condition holds: a matching clause, or undecided when a clause's key has no valid value. */
    private record Applies(boolean decided, Condition.Clause matched) {
    }

    private static Applies evaluate(Condition condition, Bound bound) {
        boolean decided = true;
        for (Condition.Clause clause : condition.clauses()) {
            Object value = bound.get(clause.key());
            if (clause.value().equals(value)) {
                return new Applies(true, clause);
            }
            decided &= value != null;
        }
        return new Applies(decided, null);
    }

    private void resolveDefaults(Bound root, Bound bound) {
        for (ConfigKey<?> key : bound.section().keys()) {
            Object value = bound.get(key);
            if (key.defaultFrom() != null && value == null && !bound.isFailed(key)) {
                bound.put(key, ConfigSchema.globalValue(root, key.defaultFrom()));
            } else if (value instanceof Bound child) {
                resolveDefaults(root, child);
            } else if (value instanceof List<?> items) {
                items.stream().filter(Bound.class::isInstance).forEach(item -> resolveDefaults(root, (Bound) item));
            }
        }
    }

    private void checkReferences(Bound root) {
        Map<ConfigKey<String>, Set<String>> known = new HashMap<>();
        ConfigSchema.forEachBound(root, bound -> {
            for (ConfigKey<?> key : bound.section().keys()) {
                if (key.references() == null || !(bound.get(key) instanceof String name)) {
                    continue;
                }
                Set<String> names = known.computeIfAbsent(key.references(), k -> collect(root, k));
                if (!names.contains(name)) {
                    problems.add(ConfigProblem.invalid(bound.pathOf(key), name, "no " + key.referenceNoun()
                            + " is named '" + name + "' (configured: " + String.join(", ", names) + ")"));
                }
            }
        });
    }

    private static Set<String> collect(Bound root, ConfigKey<String> key) {
        Set<String> values = new LinkedHashSet<>();
        ConfigSchema.forEachBound(root, bound -> {
            if (bound.section().keys().contains(key) && bound.get(key) != null) {
                values.add(bound.get(key));
            }
        });
        return values;
    }

    private static String shown(ConfigKey<?> key, Object value, JsonNode node) {
        if (key.isSecret()) {
            return ValueType.MASK;
        }
        if (value instanceof List<?> list && key.shape() == ConfigKey.Shape.LIST) {
            return "[" + String.join(", ", list.stream().map(key.type()::print).toList()) + "]";
        }
        if (key.shape() == ConfigKey.Shape.SCALAR) {
            return key.type().shown(key.type().print(value));
        }
        return node == null ? "..." : describeNode(node);
    }

    private <T> T notA(String what, JsonNode node, String path) {
        problems.add(ConfigProblem.invalid(path, describeNode(node), "must be a " + what + ", not " + kindOf(node)));
        return null;
    }

    private static String describeNode(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        return node.isArray() ? "[...]" : node.isObject() ? "{...}" : "null";
    }

    private static String kindOf(JsonNode node) {
        return node.isArray() ? "a list" : node.isObject() ? "a mapping" : node.isNull() ? "empty" : "a single value";
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
