package io.snkb.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of one bridge process, as bound and validated from the YAML file by
 * {@link ConfigLoader}. Immutable and thread-safe.
 *
 * @param instances        the ServiceNow instances, each with its tables; names are unique
 * @param kafka            the Kafka connection
 * @param source           defaults and switches for reading ServiceNow into Kafka
 * @param sink             writing Kafka records into ServiceNow
 * @param offsets          where positions are kept
 * @param http             the metrics and health endpoint
 * @param shutdownTimeout  how long {@code close()} waits for in-flight work before giving up
 */
public record BridgeConfig(List<InstanceConfig> instances, KafkaConfig kafka, SourceConfig source,
                           SinkConfig sink, OffsetsConfig offsets, HttpConfig http, Duration shutdownTimeout) {

    public BridgeConfig {
        instances = List.copyOf(instances);
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /** The instance named {@code name}. */
    public Optional<InstanceConfig> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
