package io.snkb.bridge.internal.kafka;

import io.snkb.bridge.config.KafkaConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the target topics that do not exist yet, with the broker's default partition count and
 * replication factor, so that the first records do not depend on the broker's auto-creation settings.
 * Stateless and thread-safe.
 */
public final class TopicCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    /**
     * Makes sure every one of {@code topics} exists. Throws {@link IllegalStateException} naming the
     * topics and the cause when Kafka cannot be reached or refuses, within {@code timeout}.
     */
    public static void ensureTopics(KafkaConfig config, Collection<String> topics, Duration timeout) {
        ensure(config, topics.stream().map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList(),
                timeout);
    }

    /**
     * Makes sure {@code topic} exists, creating it compacted with one partition when missing, as a store of the
     * latest value per key; fails as {@link #ensureTopics} does.
     */
    public static void ensureCompactedTopic(KafkaConfig config, String topic, Duration timeout) {
        ensure(config, List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact"))), timeout);
    }

    private static void ensure(KafkaConfig config, List<NewTopic> topics, Duration timeout) {
        Set<String> wanted = new TreeSet<>(topics.stream().map(NewTopic::name).toList());
        if (wanted.isEmpty()) {
            return;
        }
        Admin admin = Admin.create(adminProperties(config, timeout));
        boolean interrupted = false;
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                create(admin, missing, timeout);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Cannot check or create the Kafka topics " + wanted + " at "
                    + config.bootstrapServers() + ": " + cause, cause);
        } catch (InterruptedException e) {
            interrupted = true;
            throw new IllegalStateException("Interrupted while creating the Kafka topics " + wanted, e);
        } finally {
            // Without waiting: a plain close would wait for calls still pending on an unreachable Kafka.
            admin.close(Duration.ZERO);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void create(Admin admin, List<NewTopic> missing, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        var results = admin.createTopics(missing).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created Kafka topic {}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    static Map<String, Object> adminProperties(KafkaConfig config, Duration timeout) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "snkb-admin");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        config.properties().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                properties.put(key, value);
            }
        });
        return properties;
    }
}
