package io.snkb.bridge.config;

import io.snkb.bridge.config.AuthConfig.Grant;
import io.snkb.bridge.config.SinkTopicConfig.Conflict;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every key of the configuration file, declared once. {@link ConfigBinder} binds and validates against
 * these, {@link ConfigAssembler} builds the records from what they bound, {@link ConfigRenderer} reads
 * the records back through them and {@link ConfigReference} documents them. Immutable.
 */
final class ConfigSchema {

    private static final Pattern INSTANCE_NAME_CHARS = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern TABLE_NAME_CHARS = Pattern.compile("[a-z0-9_]+");
    private static final Pattern FIELD_NAME_CHARS = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final Pattern TOPIC_CHARS = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern HOST_PORT = Pattern.compile("\\s*(\\[[0-9a-fA-F:.]+]|[^\\s,:\\[\\]]+):\\d{1,5}\\s*");
    static final int MAX_TOPIC_LENGTH = 249;

    private static final Rule<String> NOT_EMPTY = new Rule<>("not empty", s -> !s.isBlank(), "must not be empty");
    private static final Rule<String> TABLE_NAME = new Rule<>("matches `[a-z0-9_]+`",
            s -> TABLE_NAME_CHARS.matcher(s).matches(),
            "must be a ServiceNow table name: lowercase letters, digits and '_'");
    static final Rule<String> TOPIC_NAME = new Rule<>(
            "a Kafka topic name: letters, digits, `.`, `_`, `-`, at most 249 characters",
            ConfigSchema::isTopicName,
            "must be a Kafka topic name: letters, digits, '.', '_' and '-', at most 249 characters");
    private static final Rule<Integer> PAGE_SIZE_RANGE = between(1, 10_000);
    private static final Rule<Duration> POLL_INTERVAL_MIN = atLeast(Duration.ofMillis(100));
    private static final Rule<Duration> NOT_NEGATIVE = new Rule<>("not negative", d -> !d.isNegative(),
            "must not be negative");
    private static final Rule<Duration> POSITIVE = new Rule<>("more than 0", d -> d.compareTo(Duration.ZERO) > 0,
            "must be more than 0");

    // ---- source: declared first because table keys take their defaults from it

    static final ConfigKey<Boolean> SOURCE_ENABLED = ConfigKey.scalar("enabled", ValueType.BOOLEAN)
            .defaultValue(true)
            .doc("Whether the configured tables are read into Kafka.")
            .reads((SourceConfig s) -> s.enabled()).build();
    static final ConfigKey<String> TOPIC_PATTERN = ConfigKey.scalar("topic-pattern", ValueType.STRING)
            .defaultValue("servicenow.{instance}.{table}")
            .rule("only the placeholders `{instance}` and `{table}`", ConfigSchema::hasKnownPlaceholdersOnly,
                    "may contain only the placeholders {instance} and {table}")
            .rule(new Rule<>("a Kafka topic name once they are filled in",
                    p -> !hasKnownPlaceholdersOnly(p) || isTopicName(fill(p, "x", "x")),
                    "must give a Kafka topic name (letters, digits, '.', '_' and '-') once the placeholders "
                            + "are filled in"))
            .doc("The topic of a table that names none of its own; `{instance}` and `{table}` are replaced by "
                    + "the instance's and the table's names.")
            .reads((SourceConfig s) -> s.topicPattern()).build();
    static final ConfigKey<Integer> SOURCE_PAGE_SIZE = ConfigKey.scalar("page-size", ValueType.INTEGER)
            .defaultValue(1000).rule(PAGE_SIZE_RANGE)
            .doc("Default rows per request (`sysparm_limit`). Large pages of wide rows risk ServiceNow's "
                    + "60 second transaction limit.")
            .build();
    static final ConfigKey<Duration> SOURCE_POLL_INTERVAL = ConfigKey.scalar("poll-interval", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(5)).rule(POLL_INTERVAL_MIN)
            .doc("Default pause between two polls of a table once it has caught up.")
            .build();
    static final ConfigKey<Duration> SOURCE_REREAD_WINDOW = ConfigKey.scalar("reread-window", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(30)).rule(NOT_NEGATIVE)
            .doc("Default distance behind the cursor that every poll reads again, to catch rows committed late "
                    + "with an earlier `sys_updated_on`.")
            .build();
    static final ConfigKey<Boolean> SOURCE_DELETES = ConfigKey.scalar("deletes", ValueType.BOOLEAN)
            .defaultValue(true)
            .doc("Default for reading deletes: each table's entries in `sys_audit_delete` become delete events "
                    + "(op `d`, key the deleted `sys_id`). Needs read access to `sys_audit_delete` and an audited "
                    + "table; when it cannot be read the bridge says so at start-up and in status and health.")
            .build();
    static final ConfigKey<Boolean> SOURCE_TOMBSTONES = ConfigKey.scalar("tombstones", ValueType.BOOLEAN)
            .defaultValue(true)
            .doc("Default for following each delete event with a tombstone (same key, null value), so that "
                    + "log compaction can drop the deleted row.")
            .build();
    static final ConfigKey<Duration> SOURCE_RECONCILE_INTERVAL =
            ConfigKey.scalar("reconcile-interval", ValueType.DURATION)
                    .defaultValue(Duration.ZERO).rule(NOT_NEGATIVE)
                    .doc("Default pause between two reconciliation passes of a table, which compare `sys_id` and "
                            + "`sys_mod_count` in ServiceNow with what was sent, to catch changes that did not "
                            + "touch `sys_updated_on` and deletes without an audit record; `0s` switches them off.")
                    .build();
    static final ConfigKey<Duration> SOURCE_RECONCILE_RANGE = ConfigKey.scalar("reconcile-range", ValueType.DURATION)
            .defaultValue(TableConfig.DEFAULT_RECONCILE_RANGE).rule(POSITIVE)
            .doc("Default span a reconciliation pass covers: rows whose `sys_updated_on` lies within this "
                    + "distance behind the cursor.")
            .build();
    static final ConfigKey<Integer> BACKFILL_CONCURRENCY = ConfigKey.scalar("backfill-concurrency", ValueType.INTEGER)
            .defaultValue(SourceConfig.DEFAULT_BACKFILL_CONCURRENCY).rule(between(1, 64))
            .doc("How many disjoint `sys_id` ranges `snkb backfill` reads at once, each with its own requests. "
                    + "Changing it starts an unfinished backfill afresh instead of resuming it.")
            .reads((SourceConfig s) -> s.backfillConcurrency()).build();
    static final ConfigSection SOURCE = ConfigSection.of("source",
            SOURCE_ENABLED, TOPIC_PATTERN, SOURCE_PAGE_SIZE, SOURCE_POLL_INTERVAL, SOURCE_REREAD_WINDOW,
            SOURCE_DELETES, SOURCE_TOMBSTONES, SOURCE_RECONCILE_INTERVAL, SOURCE_RECONCILE_RANGE, BACKFILL_CONCURRENCY);

    // ---- instances[].auth

    static final ConfigKey<AuthConfig.Type> AUTH_TYPE =
            ConfigKey.scalar("type", ValueType.enumOf(AuthConfig.Type.class)).required()
                    .doc("How requests authenticate: `basic` sends the user and password with every request, "
                            + "`oauth` obtains a bearer token from the instance's token endpoint.")
                    .reads((AuthConfig a) -> a.type()).build();
    static final ConfigKey<Grant> GRANT = ConfigKey.scalar("grant", ValueType.enumOf(Grant.class))
            .required().appliesWhen(Condition.when("auth", AUTH_TYPE, AuthConfig.Type.OAUTH))
            .doc("The OAuth grant. `client-credentials` needs the instance to allow it for the OAuth "
                    + "application and a user bound to that application; `jwt-bearer` sends an assertion signed "
                    + "with `private-key` whose subject is `username`. Grants that return a refresh token renew "
                    + "with it, and fall back to the grant itself only when the refresh token is refused.")
            .reads((AuthConfig a) -> a.grant()).build();
    private static final Condition NEEDS_PASSWORD = Condition.when("auth", AUTH_TYPE, AuthConfig.Type.BASIC)
            .or("auth", GRANT, Grant.PASSWORD);
    private static final Condition NEEDS_USER = NEEDS_PASSWORD.or("auth", GRANT, Grant.JWT_BEARER);
    private static final Condition OAUTH = Condition.when("auth", AUTH_TYPE, AuthConfig.Type.OAUTH);
    private static final Condition JWT = Condition.when("auth", GRANT, Grant.JWT_BEARER);
    static final ConfigKey<String> USERNAME = ConfigKey.scalar("username", ValueType.STRING)
            .required().appliesWhen(NEEDS_USER).rule(NOT_EMPTY)
            .doc("The integration user; with `jwt-bearer`, the assertion's subject (`sub`), matched against the "
                    + "user field the instance's JWT settings name.")
            .reads((AuthConfig a) -> a.username()).build();
    static final ConfigKey<Secret> PASSWORD = ConfigKey.scalar("password", ValueType.SECRET)
            .required().appliesWhen(NEEDS_PASSWORD)
            .doc("The integration user's password. Never logged; best given as `${ENV_VAR}` or `${file:...}`.")
            .reads((AuthConfig a) -> a.password()).build();
    static final ConfigKey<String> CLIENT_ID = ConfigKey.scalar("client-id", ValueType.STRING)
            .required().appliesWhen(OAUTH).rule(NOT_EMPTY)
            .doc("The OAuth application's client id.")
            .reads((AuthConfig a) -> a.clientId()).build();
    static final ConfigKey<Secret> CLIENT_SECRET = ConfigKey.scalar("client-secret", ValueType.SECRET)
            .required().appliesWhen(OAUTH)
            .doc("The OAuth application's client secret. Never logged.")
            .reads((AuthConfig a) -> a.clientSecret()).build();
    static final ConfigKey<String> TOKEN_PATH = ConfigKey.scalar("token-path", ValueType.STRING)
            .defaultValue("/oauth_token.do").appliesWhen(OAUTH)
            .rule("starts with `/`", p -> p.startsWith("/"), "must start with '/'")
            .doc("The token endpoint, relative to `base-url`.")
            .reads((AuthConfig a) -> a.tokenPath()).build();
    static final ConfigKey<Integer> REFRESH_AT = ConfigKey.scalar("refresh-at-percent", ValueType.INTEGER)
            .defaultValue(AuthConfig.DEFAULT_REFRESH_AT_PERCENT).appliesWhen(OAUTH).rule(between(1, 99))
            .doc("When a token is replaced, in percent of the lifetime the token endpoint gave it (`expires_in`). "
                    + "Requests never use a token past this point, so none is sent about to lapse.")
            .reads((AuthConfig a) -> a.type() == AuthConfig.Type.OAUTH ? a.refreshAtPercent() : null).build();
    static final ConfigKey<Secret> PRIVATE_KEY = ConfigKey.scalar("private-key", ValueType.SECRET)
            .required().appliesWhen(JWT)
            .rule("a PKCS#8 PEM key (`-----BEGIN PRIVATE KEY-----`)", k -> k.reveal().contains("BEGIN PRIVATE KEY"),
                    "must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); "
                            + "openssl pkcs8 -topk8 -nocrypt converts other forms")
            .doc("The RSA or EC (P-256) private key that signs the assertion (RS256 or ES256), whose public key or "
                    + "certificate the instance's JWT verifier holds. Never logged; best given as `${file:...}`.")
            .reads((AuthConfig a) -> a.jwt() == null ? null : a.jwt().privateKey()).build();
    static final ConfigKey<String> KEY_ID = ConfigKey.scalar("key-id", ValueType.STRING)
            .appliesWhen(JWT).rule(NOT_EMPTY).defaultDoc("none")
            .doc("The `kid` header of the assertion, the key id of the instance's JWT verifier map.")
            .reads((AuthConfig a) -> a.jwt() == null ? null : a.jwt().keyId()).build();
    static final ConfigKey<String> AUDIENCE = ConfigKey.scalar("audience", ValueType.STRING)
            .appliesWhen(JWT).rule(NOT_EMPTY).defaultDoc("`client-id`")
            .doc("The `aud` claim of the assertion. The issuer (`iss`) is always the client id.")
            .reads((AuthConfig a) -> a.jwt() == null ? null : a.jwt().audience()).build();
    static final ConfigKey<Duration> ASSERTION_LIFETIME = ConfigKey.scalar("assertion-lifetime", ValueType.DURATION)
            .defaultValue(Duration.ofMinutes(1)).appliesWhen(JWT).rule(POSITIVE)
            .doc("How long a signed assertion is valid (`exp` minus `iat`); a new one is signed for every token.")
            .reads((AuthConfig a) -> a.jwt() == null ? null : a.jwt().lifetime()).build();
    static final ConfigSection AUTH = ConfigSection.of("auth", AUTH_TYPE, USERNAME, PASSWORD, GRANT, CLIENT_ID,
            CLIENT_SECRET, TOKEN_PATH, REFRESH_AT, PRIVATE_KEY, KEY_ID, AUDIENCE, ASSERTION_LIFETIME);

    // ---- instances[].tables[]

    static final ConfigKey<String> TABLE_NAME_KEY = ConfigKey.scalar("name", ValueType.STRING)
            .required().unique().rule(TABLE_NAME)
            .doc("The ServiceNow table, e.g. `incident`.")
            .reads((TableConfig t) -> t.name()).build();
    static final ConfigKey<String> TABLE_TOPIC = ConfigKey.scalar("topic", ValueType.STRING)
            .rule(TOPIC_NAME).defaultDoc("`source.topic-pattern` filled in")
            .doc("The Kafka topic the table's changes go to.")
            .reads((TableConfig t) -> t.topic()).build();
    static final ConfigKey<List<String>> FIELDS = ConfigKey.list("fields", ValueType.STRING)
            .defaultDoc("all fields")
            .rule("field names such as `short_description` or dot-walked `caller_id.name`",
                    l -> l.stream().allMatch(f -> FIELD_NAME_CHARS.matcher(f).matches()),
                    "must list field names: lowercase letters, digits and '_', dot-walked with '.'")
            .doc("The fields to read (`sysparm_fields`). `sys_id`, `sys_updated_on` and `sys_mod_count` are "
                    + "always read. ServiceNow silently ignores names it does not know.")
            .reads((TableConfig t) -> t.fields()).build();
    static final ConfigKey<String> QUERY = ConfigKey.scalar("query", ValueType.STRING)
            .defaultValue("")
            .rule("no `ORDERBY`", q -> !q.contains("ORDERBY"),
                    "must not contain ORDERBY: rows are read in sys_updated_on, sys_id order")
            .doc("An encoded query ANDed to every read, e.g. `active=true^priority<=2`. ServiceNow drops an "
                    + "invalid condition silently and then returns more rows than intended.")
            .reads((TableConfig t) -> t.query()).build();
    static final ConfigKey<Integer> PAGE_SIZE = ConfigKey.scalar("page-size", ValueType.INTEGER)
            .defaultFrom(SOURCE_PAGE_SIZE).rule(PAGE_SIZE_RANGE)
            .doc("Rows per request for this table.")
            .reads((TableConfig t) -> t.pageSize()).build();
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.scalar("poll-interval", ValueType.DURATION)
            .defaultFrom(SOURCE_POLL_INTERVAL).rule(POLL_INTERVAL_MIN)
            .doc("The pause between two polls of this table once caught up.")
            .reads((TableConfig t) -> t.pollInterval()).build();
    static final ConfigKey<Duration> REREAD_WINDOW = ConfigKey.scalar("reread-window", ValueType.DURATION)
            .defaultFrom(SOURCE_REREAD_WINDOW).rule(NOT_NEGATIVE)
            .doc("How far behind the cursor each poll of this table reads again.")
            .reads((TableConfig t) -> t.rereadWindow()).build();
    static final ConfigKey<Boolean> DELETES = ConfigKey.scalar("deletes", ValueType.BOOLEAN)
            .defaultFrom(SOURCE_DELETES)
            .doc("Whether this table's deletes are read from `sys_audit_delete`; `false` switches them off "
                    + "knowingly, without warnings.")
            .reads((TableConfig t) -> t.deletes()).build();
    static final ConfigKey<Boolean> TOMBSTONES = ConfigKey.scalar("tombstones", ValueType.BOOLEAN)
            .defaultFrom(SOURCE_TOMBSTONES)
            .doc("Whether this table's delete events are followed by a tombstone.")
            .reads((TableConfig t) -> t.tombstones()).build();
    static final ConfigKey<Duration> RECONCILE_INTERVAL = ConfigKey.scalar("reconcile-interval", ValueType.DURATION)
            .defaultFrom(SOURCE_RECONCILE_INTERVAL).rule(NOT_NEGATIVE)
            .doc("The pause between two reconciliation passes of this table; `0s`: none.")
            .reads((TableConfig t) -> t.reconcileInterval()).build();
    static final ConfigKey<Duration> RECONCILE_RANGE = ConfigKey.scalar("reconcile-range", ValueType.DURATION)
            .defaultFrom(SOURCE_RECONCILE_RANGE).rule(POSITIVE)
            .doc("How far behind the cursor a reconciliation pass of this table compares.")
            .reads((TableConfig t) -> t.reconcileRange()).build();
    static final ConfigSection TABLE = ConfigSection.of("tables",
            TABLE_NAME_KEY, TABLE_TOPIC, FIELDS, QUERY, PAGE_SIZE, POLL_INTERVAL, REREAD_WINDOW, DELETES, TOMBSTONES,
            RECONCILE_INTERVAL, RECONCILE_RANGE);

    // ---- instances[]

    static final ConfigKey<String> INSTANCE_NAME = ConfigKey.scalar("name", ValueType.STRING)
            .required().unique()
            .rule("matches `[a-z0-9][a-z0-9_-]*`", s -> INSTANCE_NAME_CHARS.matcher(s).matches(),
                    "must be lowercase letters, digits, '_' and '-', starting with a letter or digit")
            .doc("A short name for the instance, used in topic names, positions, logs and metrics. Renaming "
                    + "it starts its tables from scratch.")
            .reads((InstanceConfig i) -> i.name()).build();
    static final ConfigKey<java.net.URI> BASE_URL = ConfigKey.scalar("base-url", ValueType.HTTP_URL)
            .required()
            .doc("The instance's address, e.g. `https://acme.service-now.com`. A trailing `/` is removed; "
                    + "a query, a fragment or credentials are not allowed.")
            .reads((InstanceConfig i) -> i.baseUrl()).build();
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.scalar("connect-timeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(10)).rule(POSITIVE)
            .doc("How long opening a connection (TCP and TLS) may take.")
            .reads((InstanceConfig i) -> i.connectTimeout()).build();
    static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.scalar("request-timeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(60)).rule(POSITIVE)
            .doc("How long one request may take, reading the whole response included.")
            .reads((InstanceConfig i) -> i.requestTimeout()).build();
    static final ConfigKey<java.nio.file.Path> TRUST_STORE = ConfigKey.scalar("trust-store", ValueType.PATH)
            .defaultDoc("the JDK's trust store")
            .doc("A PKCS#12 or JKS file of the certificates this instance's server certificate may chain to, "
                    + "instead of the JDK's (e.g. behind a TLS-inspecting proxy or for a private CA).")
            .reads((InstanceConfig i) -> i.connection().trustStore()).build();
    static final ConfigKey<Secret> TRUST_STORE_PASSWORD = ConfigKey.scalar("trust-store-password", ValueType.SECRET)
            .defaultDoc("none")
            .doc("The password of `trust-store`. Never logged.")
            .reads((InstanceConfig i) -> i.connection().trustStorePassword()).build();
    static final ConfigKey<java.nio.file.Path> KEY_STORE = ConfigKey.scalar("key-store", ValueType.PATH)
            .defaultDoc("no client certificate")
            .doc("A PKCS#12 or JKS file holding the client certificate and its key, shown to the instance for "
                    + "mutual TLS.")
            .reads((InstanceConfig i) -> i.connection().keyStore()).build();
    static final ConfigKey<Secret> KEY_STORE_PASSWORD = ConfigKey.scalar("key-store-password", ValueType.SECRET)
            .defaultDoc("none")
            .doc("The password of `key-store` and of the key in it. Never logged.")
            .reads((InstanceConfig i) -> i.connection().keyStorePassword()).build();
    static final ConfigKey<String> PROXY = ConfigKey.scalar("proxy", ValueType.STRING)
            .defaultDoc("none: direct connections")
            .rule("`host:port`", p -> HOST_PORT.matcher(p).matches(), "must be host:port")
            .doc("An HTTP proxy for every request to this instance, token requests included; HTTPS goes through "
                    + "it with `CONNECT`.")
            .reads((InstanceConfig i) -> i.connection().proxy()).build();
    static final ConfigKey<Bound> AUTH_KEY = ConfigKey.section(AUTH)
            .doc("The credentials of the integration user.")
            .reads((InstanceConfig i) -> i.auth()).build();
    static final ConfigKey<List<Bound>> TABLES = ConfigKey.sections(TABLE)
            .defaultDoc("none")
            .doc("The tables read from this instance into Kafka.")
            .reads((InstanceConfig i) -> i.tables()).build();
    static final ConfigKey<String> TIME_ZONE = ConfigKey.scalar("time-zone", ValueType.STRING)
            .defaultDoc("detected")
            .rule("a time zone id such as `Europe/Berlin`", ConfigSchema::isZoneId,
                    "must be a time zone id such as Europe/Berlin or GMT")
            .doc("The session time zone of the integration user, in which the instance reads the dates of "
                    + "queries. Detected at start-up from the user's `sys_user.time_zone` (then the system zone "
                    + "`glide.sys.default.tz`) when not set; set it when the user cannot read those, e.g. an OAuth "
                    + "client-credentials user. When neither can be read, UTC is assumed and checked against a row: "
                    + "a table fails, naming this key, when the instance reads query dates in another zone.")
            .reads((InstanceConfig i) -> i.timeZone()).build();
    static final ConfigSection INSTANCE = ConfigSection.of("instances",
            INSTANCE_NAME, BASE_URL, CONNECT_TIMEOUT, REQUEST_TIMEOUT, TRUST_STORE, TRUST_STORE_PASSWORD,
            KEY_STORE, KEY_STORE_PASSWORD, PROXY, TIME_ZONE, AUTH_KEY, TABLES);

    // ---- kafka

    static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.scalar("bootstrap-servers", ValueType.STRING)
            .required()
            .rule("comma-separated `host:port`", ConfigSchema::isHostPortList,
                    "must be a comma-separated list of host:port")
            .doc("The brokers to connect to first.")
            .reads((KafkaConfig k) -> k.bootstrapServers()).build();
    static final ConfigKey<Map<String, String>> KAFKA_PROPERTIES = ConfigKey.map("properties")
            .defaultDoc("none")
            .rule("no `bootstrap.servers`", m -> !m.containsKey("bootstrap.servers"),
                    "must not set bootstrap.servers; use kafka.bootstrap-servers")
            .doc("Kafka client settings passed as given to every producer, consumer and admin client, e.g. "
                    + "`security.protocol`. Values of keys that name passwords, secrets, tokens, keys or JAAS "
                    + "settings are masked wherever they are shown.")
            .reads((KafkaConfig k) -> k.properties()).build();
    static final ConfigSection KAFKA = ConfigSection.of("kafka", BOOTSTRAP_SERVERS, KAFKA_PROPERTIES);

    // ---- sink

    static final ConfigKey<Boolean> SINK_ENABLED = ConfigKey.scalar("enabled", ValueType.BOOLEAN)
            .defaultValue(false)
            .doc("Whether Kafka records are written into ServiceNow.")
            .reads((SinkConfig s) -> s.enabled()).build();
    static final ConfigKey<String> GROUP_ID = ConfigKey.scalar("group-id", ValueType.STRING)
            .defaultValue("snkb-sink").rule(NOT_EMPTY)
            .doc("The Kafka consumer group of the sink.")
            .reads((SinkConfig s) -> s.groupId()).build();
    static final ConfigKey<String> DLQ_TOPIC = ConfigKey.scalar("dlq-topic", ValueType.STRING)
            .defaultValue("snkb.dlq").rule(TOPIC_NAME)
            .doc("Where records that cannot be written go, unchanged, with the reason in their headers.")
            .reads((SinkConfig s) -> s.dlqTopic()).build();
    static final ConfigKey<String> REVIEW_TOPIC = ConfigKey.scalar("review-topic", ValueType.STRING)
            .defaultValue("snkb.review").rule(TOPIC_NAME)
            .doc("Where conflicts of topics with `conflict: review` go: the event, the row as ServiceNow holds it "
                    + "and the reason, as one JSON object.")
            .reads((SinkConfig s) -> s.reviewTopic()).build();
    static final ConfigKey<String> SINK_TOPIC = ConfigKey.scalar("topic", ValueType.STRING)
            .required().unique().rule(TOPIC_NAME)
            .doc("The topic consumed.")
            .reads((SinkTopicConfig t) -> t.topic()).build();
    static final ConfigKey<String> SINK_INSTANCE = ConfigKey.scalar("instance", ValueType.STRING)
            .required().references(INSTANCE_NAME, "instance")
            .doc("The `name` of the instance written to.")
            .reads((SinkTopicConfig t) -> t.instance()).build();
    static final ConfigKey<String> SINK_TABLE = ConfigKey.scalar("table", ValueType.STRING)
            .required().rule(TABLE_NAME)
            .doc("The table written to.")
            .reads((SinkTopicConfig t) -> t.table()).build();
    static final ConfigKey<Operation> OPERATION = ConfigKey.scalar("operation", ValueType.enumOf(Operation.class))
            .defaultValue(Operation.UPSERT)
            .doc("How a record becomes a write: `insert` creates a row, `update` and `delete` change an existing "
                    + "one, `upsert` updates the matching row or creates one when none matches.")
            .reads((SinkTopicConfig t) -> t.operation()).build();
    static final ConfigKey<List<String>> KEY_FIELDS = ConfigKey.list("key-fields", ValueType.STRING)
            .defaultDoc("none: match by `sys_id`")
            .appliesWhen(Condition.when("", OPERATION, Operation.UPDATE, Operation.UPSERT, Operation.DELETE))
            .rule("field names", l -> l.stream().allMatch(f -> TABLE_NAME_CHARS.matcher(f).matches()),
                    "must list field names: lowercase letters, digits and '_'")
            .doc("The business key that finds the row to change, e.g. `[correlation_id]`. Left empty, rows are "
                    + "found by the `sys_id` the record carries.")
            .reads((SinkTopicConfig t) -> t.keyFields()).build();
    static final ConfigKey<Integer> CONCURRENCY = ConfigKey.scalar("concurrency", ValueType.INTEGER)
            .defaultValue(8).rule(between(1, 256))
            .doc("How many rows of this topic are written at once. Meanwhile a quarter more rows (at least one) "
                    + "are looked up, so that a write slot that frees starts its next write at once.")
            .reads((SinkTopicConfig t) -> t.concurrency()).build();
    static final ConfigKey<Conflict> CONFLICT = ConfigKey.scalar("conflict", ValueType.enumOf(Conflict.class))
            .defaultValue(Conflict.KAFKA_WINS)
            .doc("What happens when the row to overwrite changed in ServiceNow after the event (its "
                    + "`sys_updated_on` is later than the event time, through a write that was not the sink's): "
                    + "`kafka-wins` writes the event, `servicenow-wins` keeps the row, `newest-wins` "
                    + "compares the event time with `sys_updated_on`, `review` writes nothing and sends both versions "
                    + "to `sink.review-topic`, `custom` asks the `ConflictResolver` given to the engine builder.")
            .reads((SinkTopicConfig t) -> t.conflict()).build();
    static final ConfigKey<List<String>> CONFLICT_FIELDS = ConfigKey.list("conflict-fields", ValueType.STRING)
            .defaultDoc("all fields")
            .rule("field names", l -> l.stream().allMatch(f -> TABLE_NAME_CHARS.matcher(f).matches()),
                    "must list field names: lowercase letters, digits and '_'")
            .doc("With `kafka-wins` or `servicenow-wins`: the fields the winner decides on a conflict; the other "
                    + "side keeps the rest. E.g. `servicenow-wins` with `[assignment_group]` keeps ServiceNow's "
                    + "assignment and writes every other field of the event.")
            .reads((SinkTopicConfig t) -> t.conflictFields()).build();
    static final ConfigSection SINK_TOPIC_SECTION = ConfigSection.of("topics",
            SINK_TOPIC, SINK_INSTANCE, SINK_TABLE, OPERATION, KEY_FIELDS, CONCURRENCY, CONFLICT, CONFLICT_FIELDS);
    static final ConfigKey<List<Bound>> SINK_TOPICS = ConfigKey.sections(SINK_TOPIC_SECTION)
            .defaultDoc("none")
            .doc("One entry per topic consumed.")
            .reads((SinkConfig s) -> s.topics()).build();
    static final ConfigSection SINK = ConfigSection.of("sink", SINK_ENABLED, GROUP_ID, DLQ_TOPIC, REVIEW_TOPIC,
            SINK_TOPICS);

    // ---- offsets, http

    static final ConfigKey<OffsetsConfig.Type> OFFSETS_TYPE =
            ConfigKey.scalar("type", ValueType.enumOf(OffsetsConfig.Type.class))
                    .defaultValue(OffsetsConfig.Type.FILE)
                    .doc("The kind of store that keeps the positions: `file`, a JSON file on a persistent disk, or "
                            + "`kafka`, a compacted topic, for deployments without one.")
                    .reads((OffsetsConfig o) -> o.type()).build();
    static final ConfigKey<java.nio.file.Path> OFFSETS_DIRECTORY = ConfigKey.scalar("directory", ValueType.PATH)
            .defaultValue(java.nio.file.Path.of("./snkb-data/offsets"))
            .doc("The file store's directory. Only one process may use it at a time; each backfill keeps its "
                    + "positions in `backfill/<instance>/<table>` beneath it.")
            .reads((OffsetsConfig o) -> o.directory()).build();
    static final ConfigKey<String> OFFSETS_TOPIC = ConfigKey.scalar("topic", ValueType.STRING)
            .defaultValue(OffsetsConfig.DEFAULT_TOPIC).rule(TOPIC_NAME)
            .doc("The topic of the `kafka` store, created compacted with one partition when missing. The engine and "
                    + "backfills share it, each writing its own keys in transactions; a second engine on the same "
                    + "topic takes over and the first stops.")
            .reads((OffsetsConfig o) -> o.topic()).build();
    static final ConfigSection OFFSETS = ConfigSection.of("offsets", OFFSETS_TYPE, OFFSETS_DIRECTORY, OFFSETS_TOPIC);

    static final ConfigKey<Boolean> HTTP_ENABLED = ConfigKey.scalar("enabled", ValueType.BOOLEAN)
            .defaultValue(true)
            .doc("Whether `/metrics` (Prometheus), `/health` and `/ready` are served; see `docs/metrics.md`.")
            .reads((HttpConfig h) -> h.enabled()).build();
    static final ConfigKey<String> HTTP_HOST = ConfigKey.scalar("host", ValueType.STRING)
            .defaultValue("0.0.0.0").rule(NOT_EMPTY)
            .doc("The address to listen on.")
            .reads((HttpConfig h) -> h.host()).build();
    static final ConfigKey<Integer> HTTP_PORT = ConfigKey.scalar("port", ValueType.INTEGER)
            .defaultValue(8080).rule(between(0, 65_535))
            .doc("The port to listen on; `0` picks a free one.")
            .reads((HttpConfig h) -> h.port()).build();
    static final ConfigSection HTTP = ConfigSection.of("http", HTTP_ENABLED, HTTP_HOST, HTTP_PORT);

    // ---- the file

    static final ConfigKey<List<Bound>> INSTANCES = ConfigKey.sections(INSTANCE)
            .required()
            .rule("at least one", l -> !l.isEmpty(), "must list at least one instance")
            .doc("The ServiceNow instances, each with its tables.")
            .reads((BridgeConfig c) -> c.instances()).build();
    static final ConfigKey<Bound> KAFKA_KEY = ConfigKey.section(KAFKA)
            .doc("The Kafka cluster.").reads((BridgeConfig c) -> c.kafka()).build();
    static final ConfigKey<Bound> SOURCE_KEY = ConfigKey.section(SOURCE)
            .doc("Reading ServiceNow into Kafka, and the defaults of every table.")
            .reads((BridgeConfig c) -> c.source()).build();
    static final ConfigKey<Bound> SINK_KEY = ConfigKey.section(SINK)
            .doc("Writing Kafka records into ServiceNow.").reads((BridgeConfig c) -> c.sink()).build();
    static final ConfigKey<Bound> OFFSETS_KEY = ConfigKey.section(OFFSETS)
            .doc("Where each table's position is kept.").reads((BridgeConfig c) -> c.offsets()).build();
    static final ConfigKey<Bound> HTTP_KEY = ConfigKey.section(HTTP)
            .doc("The HTTP endpoint for metrics and health.").reads((BridgeConfig c) -> c.http()).build();
    static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = ConfigKey.scalar("shutdown-timeout", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(30)).rule(POSITIVE)
            .doc("How long stopping may wait for records in flight to be acknowledged and positions stored. "
                    + "What is not acknowledged by then is read again on the next start.")
            .reads((BridgeConfig c) -> c.shutdownTimeout()).build();
    static final ConfigSection ROOT = ConfigSection.of("",
            INSTANCES, KAFKA_KEY, SOURCE_KEY, SINK_KEY, OFFSETS_KEY, HTTP_KEY, SHUTDOWN_TIMEOUT);

    private ConfigSchema() {
    }

    /**
     * The bound value of a key of one of the root's sections, e.g. {@code source.page-size}; {@code null}
     * when that value did not bind.
     */
    static <T> T globalValue(Bound root, ConfigKey<T> key) {
        for (ConfigKey<?> rootKey : ROOT.keys()) {
            if (rootKey.shape() == ConfigKey.Shape.SECTION && rootKey.section().keys().contains(key)
                    && root.get(rootKey) instanceof Bound section) {
                return section.get(key);
            }
        }
        return null;
    }

    /** Visits {@code bound} and every section bound beneath it, parents first. */
    static void forEachBound(Bound bound, Consumer<Bound> visitor) {
        visitor.accept(bound);
        for (ConfigKey<?> key : bound.section().keys()) {
            Object value = bound.get(key);
            if (value instanceof Bound child) {
                forEachBound(child, visitor);
            } else if (value instanceof List<?> items) {
                items.stream().filter(Bound.class::isInstance).forEach(item -> forEachBound((Bound) item, visitor));
            }
        }
    }

    /** Every key with its path in the reference form, e.g. {@code instances[].auth.type}, in schema order. */
    static Map<ConfigKey<?>, String> paths() {
        Map<ConfigKey<?>, String> paths = new LinkedHashMap<>();
        collectPaths(ROOT, "", paths);
        return paths;
    }

    private static void collectPaths(ConfigSection section, String prefix, Map<ConfigKey<?>, String> paths) {
        for (ConfigKey<?> key : section.keys()) {
            String path = prefix + key.name();
            paths.put(key, path);
            if (key.shape() == ConfigKey.Shape.SECTION) {
                collectPaths(key.section(), path + ".", paths);
            } else if (key.shape() == ConfigKey.Shape.SECTION_LIST) {
                collectPaths(key.section(), path + "[].", paths);
            }
        }
    }

    static String fill(String pattern, String instance, String table) {
        return pattern.replace("{instance}", instance).replace("{table}", table);
    }

    static boolean isTopicName(String name) {
        return name.length() <= MAX_TOPIC_LENGTH && TOPIC_CHARS.matcher(name).matches()
                && !name.equals(".") && !name.equals("..");
    }

    private static boolean isZoneId(String zone) {
        try {
            java.time.ZoneId.of(zone);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    private static boolean hasKnownPlaceholdersOnly(String pattern) {
        String rest = fill(pattern, "", "");
        return rest.indexOf('{') < 0 && rest.indexOf('}') < 0;
    }

    private static boolean isHostPortList(String servers) {
        for (String server : servers.split(",", -1)) {
            if (!HOST_PORT.matcher(server).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Rule<Integer> between(int min, int max) {
        return new Rule<>(min + " to " + max, i -> i >= min && i <= max, "must be from " + min + " to " + max);
    }

    private static Rule<Duration> atLeast(Duration min) {
        String shown = ValueType.formatDuration(min);
        return new Rule<>("at least " + shown, d -> d.compareTo(min) >= 0, "must be at least " + shown);
    }
}
