package io.snkb.testkit.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The broker configuration of the embedded node. Stateless and thread-safe. */
final class BrokerSettings {

    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String CLIENT_LISTENER = "PLAINTEXT";

    private BrokerSettings() {
    }

    /**
     * Settings for one node that is both broker and its own single-voter controller quorum, listening on
     * 127.0.0.1 only. {@code overrides} are applied last and win over everything else.
     */
    static Properties combinedNode(int nodeId, Path logDir, int port, int controllerPort, boolean autoCreateTopics,
                                   Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.putAll(roleAndListeners(nodeId, port, controllerPort));
        props.put("log.dirs", logDir.toString());
        props.putAll(singleNodeDefaults());
        props.putAll(smallFootprintDefaults());
        props.put("auto.create.topics.enable", String.valueOf(autoCreateTopics));
        props.putAll(overrides);

        Properties properties = new Properties();
        properties.putAll(props);
        return properties;
    }

    private static Map<String, String> roleAndListeners(int nodeId, int port, int controllerPort) {
        String host = FreePorts.LOOPBACK;
        return Map.of(
            "process.roles", "broker,controller",
            "node.id", String.valueOf(nodeId),
            // A static quorum: the voter's address comes from this setting on every start, so a restart on
            // the same data directory may use a new controller port.
            "controller.quorum.voters", nodeId + "@" + host + ":" + controllerPort,
            "listeners", CLIENT_LISTENER + "://" + host + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort,
            "advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + port,
            "listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT",
            "controller.listener.names", CONTROLLER_LISTENER,
            "inter.broker.listener.name", CLIENT_LISTENER);
    }

    /** Settings without which a one-node cluster cannot host internal topics or serve groups promptly. */
    private static Map<String, String> singleNodeDefaults() {
        return Map.of(
            "default.replication.factor", "1",
            "min.insync.replicas", "1",
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            // A group of one consumer need not wait for more members before its first assignment.
            "group.initial.rebalance.delay.ms", "0");
    }

    /** Settings that shrink memory, threads and files; each default is sized for production load. */
    private static Map<String, String> smallFootprintDefaults() {
        Map<String, String> props = new LinkedHashMap<>();
        // The default dedupe buffer alone takes 128 MB of heap.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        props.put("log.cleaner.threads", "1");
        // The cleaner looks for dirty logs often so that compacted topics compact within a test's patience.
        props.put("log.cleaner.backoff.ms", "200");
        props.put("log.segment.bytes", String.valueOf(1024 * 1024));
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("num.partitions", "1");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("num.replica.fetchers", "1");
        return props;
    }
}
