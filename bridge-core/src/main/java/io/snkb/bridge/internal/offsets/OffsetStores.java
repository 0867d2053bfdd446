package io.snkb.bridge.internal.offsets;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.OffsetsConfig;
import io.snkb.bridge.spi.OffsetStore;
import java.nio.file.Path;

/**
 * The offset stores the {@code offsets} configuration describes: one for the engine, and one per backfilled
 * table, kept apart so that a backfill runs beside the engine without sharing its lock or its keys.
 * Stateless and thread-safe.
 */
public final class OffsetStores {

    private OffsetStores() {
    }

    /** The engine's store: the file in {@code offsets.directory}, or the topic as owner {@code engine}. */
    public static OffsetStore forEngine(BridgeConfig config) {
        OffsetsConfig offsets = config.offsets();
        return offsets.type() == OffsetsConfig.Type.KAFKA
                ? new KafkaOffsetStore(config.kafka(), offsets.topic(), "engine")
                : new FileOffsetStore(offsets.directory());
    }

    /**
     * The store of the backfills of one table: a file in {@link #backfillDirectory}, or the engine's topic as
     * an owner of its own.
     */
    public static OffsetStore forBackfill(BridgeConfig config, String instance, String table) {
        OffsetsConfig offsets = config.offsets();
        return offsets.type() == OffsetsConfig.Type.KAFKA
                ? new KafkaOffsetStore(config.kafka(), offsets.topic(), "backfill." + instance + "." + table)
                : new FileOffsetStore(backfillDirectory(config, instance, table));
    }

    /** Where the file store keeps the positions of backfills of {@code table}. */
    public static Path backfillDirectory(BridgeConfig config, String instance, String table) {
        return config.offsets().directory().resolve("backfill").resolve(instance).resolve(table);
    }
}
