package io.snkb.bridge.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The values bound for one section of one file, before they become records. A key that failed to bind
 * holds no value and is marked failed, so that no second problem is reported for it. Not thread-safe;
 * used by one load only.
 */
final class Bound {

    private final ConfigSection section;
    private final String path;
    private final Map<ConfigKey<?>, Object> values = new HashMap<>();
    private final Set<ConfigKey<?>> explicit = new HashSet<>();
    private final Set<ConfigKey<?>> failed = new HashSet<>();

    Bound(ConfigSection section, String path) {
        this.section = section;
        this.path = path;
    }

    ConfigSection section() {
        return section;
    }

    /** Where this section is in the file, e.g. {@code instances[0].auth}; empty for the root. */
    String path() {
        return path;
    }

    String pathOf(ConfigKey<?> key) {
        return path.isEmpty() ? key.name() : path + "." + key.name();
    }

    @SuppressWarnings("unchecked")
    <T> T get(ConfigKey<T> key) {
        return (T) values.get(key);
    }

    void put(ConfigKey<?> key, Object value) {
        values.put(key, value);
    }

    void remove(ConfigKey<?> key) {
        values.remove(key);
    }

    void markExplicit(ConfigKey<?> key) {
        explicit.add(key);
    }

    boolean isExplicit(ConfigKey<?> key) {
        return explicit.contains(key);
    }

    void markFailed(ConfigKey<?> key) {
        failed.add(key);
        values.remove(key);
    }

    boolean isFailed(ConfigKey<?> key) {
        return failed.contains(key);
    }
}
