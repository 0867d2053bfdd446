package io.snkb.testkit.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Writes the identity and bootstrap metadata a KRaft node needs before its first start, as
 * {@code kafka-storage.sh format} does. Stateless and thread-safe.
 */
final class StorageFormat {

    /** Present in every formatted log directory; holds the cluster and node ids. */
    private static final String META_PROPERTIES = "meta.properties";

    private StorageFormat() {
    }

    /**
     * Formats {@code logDir} for a single combined node with a static quorum, unless an earlier broker
     * formatted it already: a restart must keep the cluster id its data was written under.
     */
    static void formatIfNew(Path logDir, int nodeId, String controllerListener) throws IOException {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            return;
        }
        Files.createDirectories(logDir);
        Formatter formatter = new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
            .setNodeId(nodeId)
            .setClusterId(Uuid.randomUuid().toString())
            .addDirectory(logDir.toString())
            .setMetadataLogDirectory(logDir.toString())
            .setControllerListenerName(controllerListener);
        try {
            formatter.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot format Kafka storage in " + logDir, e);
        }
    }
}
