package io.snkb.bridge.config;

import static io.snkb.bridge.config.ConfigSchema.*;

import java.util.List;

/**
 * Turns a bound, problem-free tree into the configuration records. Also derives each table's default
 * topic, which needs the instance's name, the table's and the source's pattern together. Stateless.
 */
final class ConfigAssembler {

    private ConfigAssembler() {
    }

    /** Sets the topic of every table that names none; a pattern that yields no valid topic is a problem. */
    static void deriveTopics(Bound root, List<ConfigProblem> problems) {
        String pattern = globalValue(root, TOPIC_PATTERN);
        List<Bound> instances = root.get(INSTANCES);
        if (pattern == null || instances == null) {
            return;
        }
        for (Bound instance : instances) {
            String instanceName = instance.get(INSTANCE_NAME);
            List<Bound> tables = instance.get(TABLES);
            if (instanceName == null || tables == null) {
                continue;
            }
            for (Bound table : tables) {
                deriveTopic(table, pattern, instanceName, problems);
            }
        }
    }

    private static void deriveTopic(Bound table, String pattern, String instanceName, List<ConfigProblem> problems) {
        String tableName = table.get(TABLE_NAME_KEY);
        if (table.get(TABLE_TOPIC) != null || table.isFailed(TABLE_TOPIC) || tableName == null) {
            return;
        }
        String topic = fill(pattern, instanceName, tableName);
        if (isTopicName(topic)) {
            table.put(TABLE_TOPIC, topic);
        } else {
            problems.add(ConfigProblem.invalid(table.pathOf(TABLE_TOPIC), topic, "source.topic-pattern gives a name "
                    + "longer than " + MAX_TOPIC_LENGTH + " characters; set a shorter topic for this table"));
        }
    }

    static BridgeConfig assemble(Bound root) {
        return new BridgeConfig(
                root.get(INSTANCES).stream().map(ConfigAssembler::instance).toList(),
                kafka(root.get(KAFKA_KEY)),
                source(root.get(SOURCE_KEY)),
                sink(root.get(SINK_KEY)),
                offsets(root.get(OFFSETS_KEY)),
                http(root.get(HTTP_KEY)),
                root.get(SHUTDOWN_TIMEOUT));
    }

    private static InstanceConfig instance(Bound b) {
        return new InstanceConfig(b.get(INSTANCE_NAME), b.get(BASE_URL), auth(b.get(AUTH_KEY)),
                b.get(CONNECT_TIMEOUT), b.get(REQUEST_TIMEOUT),
                b.get(TABLES).stream().map(ConfigAssembler::table).toList(), connection(b),
                b.get(TIME_ZONE));
    }

    private static ConnectionConfig connection(Bound b) {
        return new ConnectionConfig(b.get(TRUST_STORE), b.get(TRUST_STORE_PASSWORD), b.get(KEY_STORE),
                b.get(KEY_STORE_PASSWORD), b.get(PROXY) == null ? null : b.get(PROXY).trim());
    }

    private static AuthConfig auth(Bound b) {
        AuthConfig.Type type = b.get(AUTH_TYPE);
        int refreshAt = type == AuthConfig.Type.OAUTH ? b.get(REFRESH_AT) : AuthConfig.DEFAULT_REFRESH_AT_PERCENT;
        return new AuthConfig(type, b.get(USERNAME), b.get(PASSWORD), b.get(GRANT), b.get(CLIENT_ID),
                b.get(CLIENT_SECRET), b.get(TOKEN_PATH), refreshAt, jwt(b));
    }

    private static AuthConfig.Jwt jwt(Bound b) {
        if (b.get(GRANT) != AuthConfig.Grant.JWT_BEARER) {
            return null;
        }
        return new AuthConfig.Jwt(b.get(PRIVATE_KEY), b.get(KEY_ID), b.get(AUDIENCE), b.get(ASSERTION_LIFETIME));
    }

    private static TableConfig table(Bound b) {
        return new TableConfig(b.get(TABLE_NAME_KEY), b.get(TABLE_TOPIC), b.get(FIELDS), b.get(QUERY),
                b.get(PAGE_SIZE), b.get(POLL_INTERVAL), b.get(REREAD_WINDOW), b.get(DELETES), b.get(TOMBSTONES),
                b.get(RECONCILE_INTERVAL), b.get(RECONCILE_RANGE));
    }

    private static KafkaConfig kafka(Bound b) {
        return new KafkaConfig(b.get(BOOTSTRAP_SERVERS), b.get(KAFKA_PROPERTIES));
    }

    private static SourceConfig source(Bound b) {
        return new SourceConfig(b.get(SOURCE_ENABLED), b.get(TOPIC_PATTERN), b.get(BACKFILL_CONCURRENCY));
    }

    private static SinkConfig sink(Bound b) {
        return new SinkConfig(b.get(SINK_ENABLED), b.get(GROUP_ID), b.get(DLQ_TOPIC), b.get(REVIEW_TOPIC),
                b.get(SINK_TOPICS).stream().map(ConfigAssembler::sinkTopic).toList());
    }

    private static SinkTopicConfig sinkTopic(Bound b) {
        return new SinkTopicConfig(b.get(SINK_TOPIC), b.get(SINK_INSTANCE), b.get(SINK_TABLE), b.get(OPERATION),
                b.get(KEY_FIELDS) == null ? List.of() : b.get(KEY_FIELDS), b.get(CONCURRENCY), b.get(CONFLICT),
                b.get(CONFLICT_FIELDS) == null ? List.of() : b.get(CONFLICT_FIELDS));
    }

    private static OffsetsConfig offsets(Bound b) {
        return new OffsetsConfig(b.get(OFFSETS_TYPE), b.get(OFFSETS_DIRECTORY), b.get(OFFSETS_TOPIC));
    }

    private static HttpConfig http(Bound b) {
        return new HttpConfig(b.get(HTTP_ENABLED), b.get(HTTP_HOST), b.get(HTTP_PORT));
    }
}
