package io.snkb.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.config.AuthConfig.Grant;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    static final String MINIMAL = """
            instances:
              - name: acme
                base-url: https://acme.service-now.com
                auth:
                  type: basic
                  username: svc_snkb
                  password: s3cret
                tables:
                  - name: incident
            kafka:
              bootstrap-servers: localhost:9092
            """;

    static BridgeConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.<String, String>of()::get);
    }

    static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::message).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    static List<String> problemPaths(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::path).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void minimalFileLoadsWithEveryDefaultApplied() {
        BridgeConfig config = parse(MINIMAL);

        InstanceConfig acme = config.instance("acme").orElseThrow();
        assertThat(acme.baseUrl()).isEqualTo(URI.create("https://acme.service-now.com"));
        assertThat(acme.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(acme.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(acme.auth()).isEqualTo(new AuthConfig(AuthConfig.Type.BASIC, "svc_snkb", Secret.of("s3cret"),
                null, null, null, null));
        assertThat(acme.tables()).containsExactly(new TableConfig("incident", "servicenow.acme.incident",
                List.of(), "", 1000, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(config.kafka()).isEqualTo(new KafkaConfig("localhost:9092", Map.of()));
        assertThat(config.source()).isEqualTo(new SourceConfig(true, "servicenow.{instance}.{table}"));
        assertThat(config.sink()).isEqualTo(new SinkConfig(false, "snkb-sink", "snkb.dlq", List.of()));
        assertThat(config.offsets())
                .isEqualTo(new OffsetsConfig(OffsetsConfig.Type.FILE, Path.of("./snkb-data/offsets")));
        assertThat(config.http()).isEqualTo(new HttpConfig(true, "0.0.0.0", 8080));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void tablesTakeTheirDefaultsFromTheSourceSection() {
        BridgeConfig config = parse(MINIMAL + """
                source:
                  topic-pattern: sn-{table}-from-{instance}
                  page-size: 250
                  poll-interval: 500ms
                  reread-window: 0
                """);

        TableConfig incident = config.instances().get(0).tables().get(0);
        assertThat(incident.topic()).isEqualTo("sn-incident-from-acme");
        assertThat(incident.pageSize()).isEqualTo(250);
        assertThat(incident.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(incident.rereadWindow()).isZero();
    }

    @Test
    void fileWithThreeMistakesGivesExactlyThoseThreeProblems() {
        String yaml = """
                instances:
                  - name: acme
                    base-url: ftp://acme.example.com
                    auth:
                      type: basic
                      username: svc_snkb
                      password: s3cret
                    tables:
                      - name: incident
                        page-size: 20000
                  - name: globex
                    base-url: https://globex.service-now.com
                    auth:
                      type: basic
                      password: s3cret
                kafka:
                  bootstrap-servers: localhost:9092
                """;

        assertThat(problems(yaml)).containsExactly(
                "Invalid value 'ftp://acme.example.com' for 'instances[0].base-url': must be an http or https URL",
                "Invalid value '20000' for 'instances[0].tables[0].page-size': must be from 1 to 10000",
                "Missing value for 'instances[1].auth.username': required when auth.type is basic");
    }

    @Test
    void exceptionMessageListsEveryProblemOnItsOwnLine() {
        assertThatThrownBy(() -> parse("kafka: {}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        Invalid configuration in test.yaml (2 problems):
                          Missing value for 'kafka.bootstrap-servers': required
                          Missing value for 'instances': required""");
    }

    @Test
    void unknownKeySuggestsTheKeyThatWasMeant() {
        String yaml = MINIMAL.replace("  - name: incident", "  - name: incident\n        pagesize: 10")
                + "sourse:\n  enabled: false\n";

        assertThat(problems(yaml)).containsExactly(
                "Unknown key 'instances[0].tables[0].pagesize': unknown key; did you mean 'page-size'?",
                "Unknown key 'sourse': unknown key; did you mean 'source'?");
    }

    @Test
    void unknownKeyWithNothingCloseListsTheKeysAllowedThere() {
        assertThat(problems(MINIMAL + "http:\n  colour: blue\n")).containsExactly(
                "Unknown key 'http.colour': unknown key; allowed here: enabled, host, port");
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        String yaml = """
                instances:
                  - name: acme
                    base-url: https://acme.service-now.com
                    auth: type: basic
                """;

        assertThat(problems(yaml)).singleElement().asString()
                .startsWith("Invalid YAML at line 4, column ")
                .contains("mapping values are not allowed here");
    }

    @Test
    void duplicateKeyIsReportedWithItsLine() {
        String yaml = MINIMAL + "http:\n  port: 1\n  port: 2\n";

        assertThat(problems(yaml)).containsExactly("Invalid YAML at line 14, column 3: duplicate key 'http.port'");
    }

    @Test
    void emptyFileReportsWhatIsRequired() {
        assertThat(problemPaths("")).containsExactly("instances", "kafka.bootstrap-servers");
    }

    @Test
    void fileThatIsNotAMappingIsAProblem() {
        assertThat(problems("- a\n- b\n")).first().asString()
                .isEqualTo("Invalid YAML at line 1, column 1: "
                        + "the file must be a mapping of keys to values, not a list");
    }

    @Test
    void missingFileIsAProblemNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file, name -> null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Cannot read '" + file + "': the file does not exist");
    }

    @Test
    void fileOnDiskLoads(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("snkb.yaml"), MINIMAL);

        assertThat(ConfigLoader.load(file, name -> null).instances()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "10s,PT10S", "5m,PT5M", "1h,PT1H", "2d,PT48H", "PT1M30S,PT1M30S", "0,PT0S"})
    void durationsAcceptShortAndIsoForms(String written, String expected) {
        BridgeConfig config = parse(MINIMAL + "source:\n  reread-window: " + written + "\n");

        assertThat(config.instances().get(0).tables().get(0).rereadWindow()).isEqualTo(Duration.parse(expected));
    }

    @Test
    void badDurationSaysWhichFormsAreAccepted() {
        assertThat(problems(MINIMAL + "shutdown-timeout: 10 seconds\n")).containsExactly(
                "Invalid value '10 seconds' for 'shutdown-timeout': must be a duration such as 500ms, 10s, 5m, 1h, "
                        + "2d or ISO-8601 (PT10S)");
    }

    @Test
    void durationBelowItsMinimumIsAProblem() {
        assertThat(problems(MINIMAL + "source:\n  poll-interval: 50ms\n")).containsExactly(
                "Invalid value '50ms' for 'source.poll-interval': must be at least 100ms");
    }

    @Test
    void enumsIgnoreCaseAndAcceptKebabOrSnakeCase() {
        String oauth = """
                instances:
                  - name: acme
                    base-url: https://acme.service-now.com
                    auth:
                      type: OAuth
                      grant: CLIENT_CREDENTIALS
                      client-id: abc
                      client-secret: xyz
                kafka:
                  bootstrap-servers: localhost:9092
                """;

        AuthConfig auth = parse(oauth).instances().get(0).auth();

        assertThat(auth.type()).isEqualTo(AuthConfig.Type.OAUTH);
        assertThat(auth.grant()).isEqualTo(Grant.CLIENT_CREDENTIALS);
        assertThat(auth.tokenPath()).isEqualTo("/oauth_token.do");
        assertThat(auth.username()).isNull();
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        assertThat(problems(MINIMAL.replace("type: basic", "type: kerberos"))).containsExactly(
                "Invalid value 'kerberos' for 'instances[0].auth.type': must be one of basic, oauth");
    }

    @Test
    void oauthPasswordGrantNeedsUserAndClient() {
        String yaml = MINIMAL.replace("type: basic", "type: oauth\n      grant: password")
                .replace("      username: svc_snkb\n", "");

        assertThat(problems(yaml)).containsExactly(
                "Missing value for 'instances[0].auth.username': required when auth.grant is password",
                "Missing value for 'instances[0].auth.client-id': required when auth.type is oauth",
                "Missing value for 'instances[0].auth.client-secret': required when auth.type is oauth");
    }

    @Test
    void jwtBearerGrantReadsItsKeyFromAFileAndDefaultsAudienceAndLifetime(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("snkb-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
                + "-----END PRIVATE KEY-----\n");
        String yaml = MINIMAL.replace("type: basic", "type: oauth\n      grant: jwt-bearer\n      client-id: abc\n"
                + "      client-secret: xyz\n      private-key: ${file:" + key + "}\n      key-id: k1\n"
                + "      refresh-at-percent: 60").replace("      password: s3cret\n", "");

        AuthConfig auth = parse(yaml).instances().get(0).auth();

        assertThat(auth.grant()).isEqualTo(Grant.JWT_BEARER);
        assertThat(auth.username()).isEqualTo("svc_snkb");
        assertThat(auth.refreshAtPercent()).isEqualTo(60);
        assertThat(auth.jwt().privateKey().reveal()).contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
        assertThat(auth.jwt().keyId()).isEqualTo("k1");
        assertThat(auth.jwt().audience()).isNull();
        assertThat(auth.jwt().lifetime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(auth.toString()).doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "xyz");
    }

    @Test
    void jwtSettingsOutsideTheJwtGrantAndAnOutOfRangeShareAreProblems() {
        String yaml = MINIMAL.replace("type: basic", "type: oauth\n      grant: password\n      client-id: abc\n"
                + "      client-secret: xyz\n      key-id: k1\n      refresh-at-percent: 100");

        assertThat(problems(yaml)).containsExactly(
                "Invalid value '100' for 'instances[0].auth.refresh-at-percent': must be from 1 to 99",
                "Invalid value 'k1' for 'instances[0].auth.key-id': only used when auth.grant is jwt-bearer");
    }

    @Test
    void privateKeyThatIsNotPkcs8IsAProblemThatDoesNotShowTheKey() {
        String yaml = MINIMAL.replace("type: basic", "type: oauth\n      grant: jwt-bearer\n      client-id: abc\n"
                + "      client-secret: xyz\n      private-key: '-----BEGIN RSA PRIVATE KEY----- MIIEpAIBAAKCAQEA'")
                .replace("      password: s3cret\n", "");

        assertThat(problems(yaml)).singleElement().asString()
                .contains("'instances[0].auth.private-key': must be a PKCS#8 PEM private key", "openssl pkcs8")
                .doesNotContain("MIIEpAIBAAKCAQEA");
    }

    @Test
    void connectionSettingsAreReadAndAProxyMustBeHostAndPort() {
        String yaml = MINIMAL.replace("    auth:", "    trust-store: /etc/snkb/trust.p12\n"
                + "    trust-store-password: store-pw\n    proxy: proxy.acme.local:3128\n    auth:");

        ConnectionConfig connection = parse(yaml).instances().get(0).connection();

        assertThat(connection.trustStore()).isEqualTo(Path.of("/etc/snkb/trust.p12"));
        assertThat(connection.trustStorePassword().reveal()).isEqualTo("store-pw");
        assertThat(connection.proxy()).isEqualTo("proxy.acme.local:3128");
        assertThat(connection.keyStore()).isNull();
        assertThat(connection.toString()).doesNotContain("store-pw");
        assertThat(problems(yaml.replace("proxy.acme.local:3128", "proxy.acme.local"))).containsExactly(
                "Invalid value 'proxy.acme.local' for 'instances[0].proxy': must be host:port");
    }

    @Test
    void keyThatOnlyAnotherAuthTypeUsesIsAProblem() {
        String yaml = MINIMAL.replace("type: basic", "type: basic\n      token-path: /oauth_token.do");

        assertThat(problems(yaml)).containsExactly(
                "Invalid value '/oauth_token.do' for 'instances[0].auth.token-path': "
                        + "only used when auth.type is oauth");
    }

    @Test
    void numbersAndBooleansAreTakenAsWrittenWhereTextIsExpected() {
        BridgeConfig config = parse(MINIMAL.replace("username: svc_snkb", "username: 0042")
                .replace("password: s3cret", "password: 1.10") + "http:\n  host: true\n");

        AuthConfig auth = config.instances().get(0).auth();
        assertThat(auth.username()).isEqualTo("0042");
        assertThat(auth.password().reveal()).isEqualTo("1.10");
        assertThat(config.http().host()).isEqualTo("true");
    }

    @Test
    void baseUrlLosesItsTrailingSlashAndKeepsItsPath() {
        BridgeConfig config =
                parse(MINIMAL.replace("https://acme.service-now.com", "HTTPS://proxy.acme.test:8443/sn/"));

        assertThat(config.instances().get(0).baseUrl()).isEqualTo(URI.create("https://proxy.acme.test:8443/sn"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://acme.service-now.com?x=1 | must not have a query or fragment",
            "acme.service-now.com | must be an http or https URL",
            "https://svc:pw@acme.service-now.com | must not contain credentials; put them under auth"})
    void baseUrlProblemsSayWhatIsWrong(String url, String reason) {
        assertThat(problems(MINIMAL.replace("https://acme.service-now.com", url))).singleElement().asString()
                .endsWith("for 'instances[0].base-url': " + reason)
                .doesNotContain(":pw@");
    }

    @Test
    void instanceAndTableNamesMustBeUniqueAndWellFormed() {
        String yaml = """
                instances:
                  - name: acme
                    base-url: https://acme.service-now.com
                    auth: {type: basic, username: svc, password: pw}
                    tables:
                      - name: incident
                      - name: incident
                      - name: Bad
                  - name: acme
                    base-url: https://acme2.service-now.com
                    auth: {type: basic, username: svc, password: pw}
                kafka:
                  bootstrap-servers: localhost:9092
                """;

        assertThat(problems(yaml)).containsExactly(
                "Invalid value 'Bad' for 'instances[0].tables[2].name': must be a ServiceNow table name: "
                        + "lowercase letters, digits and '_'",
                "Invalid value 'incident' for 'instances[0].tables[1].name': must be unique: "
                        + "instances[0].tables[0] has the same name",
                "Invalid value 'acme' for 'instances[1].name': must be unique: instances[0] has the same name");
    }

    @Test
    void deletesTombstonesAndReconciliationDefaultFromTheSourceAndCanBeSetPerTable() {
        BridgeConfig config = parse(MINIMAL.replace("      - name: incident\n",
                "      - name: incident\n      - name: problem\n        deletes: false\n"
                        + "        reconcile-interval: 1h\n")
                + "source:\n  tombstones: false\n  reconcile-range: 6h\n");

        TableConfig incident = config.instances().get(0).tables().get(0);
        TableConfig problem = config.instances().get(0).tables().get(1);
        assertThat(incident.deletes()).isTrue();
        assertThat(incident.tombstones()).isFalse();
        assertThat(incident.reconciles()).isFalse();
        assertThat(problem.deletes()).isFalse();
        assertThat(problem.reconcileInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(problem.reconcileRange()).isEqualTo(Duration.ofHours(6));
        assertThat(config.instances().get(0).sessionZone()).isEmpty();
    }

    @Test
    void instanceTimeZoneMustBeAZoneId() {
        String yaml = MINIMAL.replace("    tables:", "    time-zone: Mars/Olympus\n    tables:");
        assertThat(problems(yaml)).containsExactly("Invalid value 'Mars/Olympus' for 'instances[0].time-zone': "
                + "must be a time zone id such as Europe/Berlin or GMT");
        assertThat(parse(yaml.replace("Mars/Olympus", "Pacific/Kiritimati")).instances().get(0).sessionZone())
                .contains(java.time.ZoneId.of("Pacific/Kiritimati"));
    }

    @Test
    void enablingTheSinkIsAccepted() {
        assertThat(parse(MINIMAL + "sink:\n  enabled: true\n").sink().enabled()).isTrue();
    }

    @Test
    void sinkTopicsAreBoundAndMustNameAConfiguredInstance() {
        String sink = """
                sink:
                  topics:
                    - topic: orders.incidents
                      instance: acme
                      table: incident
                      key-fields: [correlation_id]
                    - topic: orders.closed
                      instance: acme
                      table: incident
                      operation: insert
                      concurrency: 2
                """;
        assertThat(parse(MINIMAL + sink).sink().topics()).containsExactly(
                new SinkTopicConfig("orders.incidents", "acme", "incident", Operation.UPSERT,
                        List.of("correlation_id"), 8),
                new SinkTopicConfig("orders.closed", "acme", "incident", Operation.INSERT, List.of(), 2));

        assertThat(problems(MINIMAL + sink.replace("instance: acme\n      table: incident\n      key",
                "instance: acm\n      table: incident\n      key"))).containsExactly(
                "Invalid value 'acm' for 'sink.topics[0].instance': no instance is named 'acm' (configured: acme)");
    }

    @Test
    void keyFieldsAreOnlyForOperationsThatFindARow() {
        String sink = """
                sink:
                  topics:
                    - topic: orders
                      instance: acme
                      table: incident
                      operation: insert
                      key-fields: [number]
                """;

        assertThat(problems(MINIMAL + sink)).containsExactly("Invalid value '[number]' for "
                + "'sink.topics[0].key-fields': only used when operation is update, upsert or delete");
    }

    @Test
    void topicPatternMayUseOnlyKnownPlaceholders() {
        assertThat(problems(MINIMAL + "source:\n  topic-pattern: sn.{instance}.{tabel}\n")).containsExactly(
                "Invalid value 'sn.{instance}.{tabel}' for 'source.topic-pattern': may contain only the "
                        + "placeholders {instance} and {table}");
    }

    @Test
    void kafkaPropertiesAreTakenAsTextAndMayNotRepeatBootstrapServers() {
        BridgeConfig config = parse(MINIMAL + "  properties:\n    linger.ms: 20\n    enable.idempotence: true\n");
        assertThat(config.kafka().properties()).containsExactly(Map.entry("linger.ms", "20"),
                Map.entry("enable.idempotence", "true"));

        assertThat(problems(MINIMAL + "  properties:\n    bootstrap.servers: x:1\n")).singleElement().asString()
                .endsWith("must not set bootstrap.servers; use kafka.bootstrap-servers");
    }

    @Test
    void wrongShapesAreProblems() {
        String yaml = MINIMAL.replace("  - name: incident", "  - name: incident\n        fields: number")
                + "http: 8080\n";

        assertThat(problems(yaml)).containsExactly(
                "Invalid value 'number' for 'instances[0].tables[0].fields': must be a list, not a single value",
                "Invalid value '8080' for 'http': must be a mapping, not a single value");
    }
}
