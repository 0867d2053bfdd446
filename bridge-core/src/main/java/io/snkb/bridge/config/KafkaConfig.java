package io.snkb.bridge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Kafka connection shared by producers and consumers. {@code properties} are Kafka client settings
 * passed through as given (security settings included); {@link #toString()} masks the values of keys
 * that carry credentials. Immutable.
 *
 * @param bootstrapServers the broker list, {@code host:port,...}
 * @param properties       further client properties, e.g. {@code security.protocol}
 */
public record KafkaConfig(String bootstrapServers, Map<String, String> properties) {

    private static final Set<String> SENSITIVE_PARTS = Set.of("password", "jaas", "secret", "token", "key");

    public KafkaConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Whether a client property's value is a credential and must be masked when shown. */
    public static boolean isSensitive(String propertyName) {
        String lower = propertyName.toLowerCase(java.util.Locale.ROOT);
        return SENSITIVE_PARTS.stream().anyMatch(lower::contains)
                && !lower.endsWith(".type") && !lower.endsWith(".algorithm") && !lower.endsWith("serializer");
    }

    @Override
    public String toString() {
        String shown = properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSensitive(e.getKey()) ? "******" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", properties=" + shown + "]";
    }
}
