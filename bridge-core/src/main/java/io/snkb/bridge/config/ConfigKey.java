package io.snkb.bridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one declaration of a configuration key: its name, shape and type, default, validation and
 * description, and how its value is read back from the bound records. Binding, defaults, validation, the
 * rendered effective configuration and the reference documentation all come from these. Immutable.
 *
 * @param <T> the bound value: the scalar type, {@code List} of it, {@code Map<String, String>},
 *            {@link Bound} for a section or {@code List<Bound>} for a list of sections
 */
final class ConfigKey<T> {

    /** What a key's YAML value looks like. */
    enum Shape { SCALAR, LIST, MAP, SECTION, SECTION_LIST }

    private final String name;
    private final Shape shape;
    private final ValueType<?> type;
    private final ConfigSection section;
    private final T defaultValue;
    private final ConfigKey<T> defaultFrom;
    private final String defaultDoc;
    private final boolean required;
    private final Condition appliesWhen;
    private final boolean unique;
    private final ConfigKey<String> references;
    private final String referenceNoun;
    private final List<Rule<? super T>> rules;
    private final String description;
    private final Function<Object, Object> reader;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.shape = b.shape;
        this.type = b.type;
        this.section = b.section;
        this.defaultValue = b.defaultValue;
        this.defaultFrom = b.defaultFrom;
        this.defaultDoc = b.defaultDoc;
        this.required = b.required;
        this.appliesWhen = b.appliesWhen;
        this.unique = b.unique;
        this.references = b.references;
        this.referenceNoun = b.referenceNoun;
        this.rules = List.copyOf(b.rules);
        this.description = Objects.requireNonNull(b.description, () -> "description of " + b.name);
        this.reader = b.reader;
    }

    static <T> Builder<T> scalar(String name, ValueType<T> type) {
        return new Builder<>(name, Shape.SCALAR, type, null);
    }

    static <E> Builder<List<E>> list(String name, ValueType<E> elementType) {
        return new Builder<List<E>>(name, Shape.LIST, elementType, null).defaultValue(List.of());
    }

    static Builder<Map<String, String>> map(String name) {
        return new Builder<Map<String, String>>(name, Shape.MAP, ValueType.STRING, null).defaultValue(Map.of());
    }

    static Builder<Bound> section(ConfigSection section) {
        return new Builder<>(section.name(), Shape.SECTION, null, section);
    }

    static Builder<List<Bound>> sections(ConfigSection itemSection) {
        return new Builder<List<Bound>>(itemSection.name(), Shape.SECTION_LIST, null, itemSection)
                .defaultValue(List.of());
    }

    String name() {
        return name;
    }

    Shape shape() {
        return shape;
    }

    /** The scalar type, or the type of each element or map value; {@code null} for sections. */
    ValueType<?> type() {
        return type;
    }

    /** The nested section, or each list item's section; {@code null} otherwise. */
    ConfigSection section() {
        return section;
    }

    T defaultValue() {
        return defaultValue;
    }

    /** Another key whose value is this key's default, or {@code null}. */
    ConfigKey<T> defaultFrom() {
        return defaultFrom;
    }

    /** How the reference states a default that is not a plain value, or {@code null}. */
    String defaultDoc() {
        return defaultDoc;
    }

    boolean required() {
        return required;
    }

    /** When the key applies at all, or {@code null} for always. */
    Condition appliesWhen() {
        return appliesWhen;
    }

    /** Whether values must differ between the items of the enclosing list. */
    boolean unique() {
        return unique;
    }

    /** The key whose values this key's value must be one of, or {@code null}. */
    ConfigKey<String> references() {
        return references;
    }

    /** What a referenced value names, e.g. {@code instance}. */
    String referenceNoun() {
        return referenceNoun;
    }

    List<Rule<? super T>> rules() {
        return rules;
    }

    String description() {
        return description;
    }

    boolean isSecret() {
        return type != null && type.isSecret();
    }

    /** Whether the effective value can be read back from the records (and so is rendered). */
    boolean readable() {
        return reader != null;
    }

    Object read(Object record) {
        return reader.apply(record);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Collects one declaration; not thread-safe, used while the schema's constants are built. */
    static final class Builder<T> {
        private final String name;
        private final Shape shape;
        private final ValueType<?> type;
        private final ConfigSection section;
        private T defaultValue;
        private ConfigKey<T> defaultFrom;
        private String defaultDoc;
        private boolean required;
        private Condition appliesWhen;
        private boolean unique;
        private ConfigKey<String> references;
        private String referenceNoun;
        private final List<Rule<? super T>> rules = new ArrayList<>();
        private String description;
        private Function<Object, Object> reader;

        private Builder(String name, Shape shape, ValueType<?> type, ConfigSection section) {
            this.name = name;
            this.shape = shape;
            this.type = type;
            this.section = section;
        }

        Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        Builder<T> defaultFrom(ConfigKey<T> key) {
            this.defaultFrom = key;
            return this;
        }

        Builder<T> defaultDoc(String doc) {
            this.defaultDoc = doc;
            return this;
        }

        Builder<T> required() {
            this.required = true;
            return this;
        }

        Builder<T> appliesWhen(Condition condition) {
            this.appliesWhen = condition;
            return this;
        }

        Builder<T> unique() {
            this.unique = true;
            return this;
        }

        Builder<T> references(ConfigKey<String> key, String noun) {
            this.references = key;
            this.referenceNoun = noun;
            return this;
        }

        Builder<T> rule(String doc, Predicate<? super T> test, String reason) {
            rules.add(new Rule<>(doc, test, reason));
            return this;
        }

        Builder<T> rule(Rule<? super T> rule) {
            rules.add(rule);
            return this;
        }

        Builder<T> doc(String text) {
            this.description = text;
            return this;
        }

        @SuppressWarnings("unchecked")
        <R> Builder<T> reads(Function<R, ?> accessor) {
            this.reader = (Function<Object, Object>) accessor;
            return this;
        }

        ConfigKey<T> build() {
            return new ConfigKey<>(this);
        }
    }
}
