package io.snkb.bridge.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the engine keeps its positions.
 *
 * @param type      the kind of store
 * @param directory the directory of the file store
 */
public record OffsetsConfig(Type type, Path directory) {

    public OffsetsConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(directory, "directory");
    }

    /** Kinds of offset store. */
    public enum Type { FILE }
}
