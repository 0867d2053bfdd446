package io.snkb.bridge.config;

import java.util.List;
import java.util.Optional;

/**
 * A YAML mapping of the configuration file: the keys it may contain, in the order they are documented and
 * rendered. Immutable.
 *
 * @param name the section's own key, e.g. {@code auth}; empty for the file's root
 * @param keys its keys
 */
record ConfigSection(String name, List<ConfigKey<?>> keys) {

    ConfigSection {
        keys = List.copyOf(keys);
    }

    static ConfigSection of(String name, ConfigKey<?>... keys) {
        return new ConfigSection(name, List.of(keys));
    }

    Optional<ConfigKey<?>> key(String keyName) {
        return keys.stream().filter(k -> k.name().equals(keyName)).findFirst();
    }
}
