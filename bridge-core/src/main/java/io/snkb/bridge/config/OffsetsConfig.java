package io.snkb.bridge.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the engine keeps its positions.
 *
 * @param type      the kind of store
 * @param directory the directory of the file store
 * @param topic     the compacted topic of the Kafka store
 */
public record OffsetsConfig(Type type, Path directory, String topic) {
    /** The Kafka store's topic when none is configured. */
    public static final String DEFAULT_TOPIC = "snkb.offsets";

    public OffsetsConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(topic, "topic");
    }

    /** A file store in {@code directory}. */
    public OffsetsConfig(Type type, Path directory) {
        this(type, directory, DEFAULT_TOPIC);
    }

    /** Kinds of offset store. */
    public enum Type { FILE, KAFKA }
}
