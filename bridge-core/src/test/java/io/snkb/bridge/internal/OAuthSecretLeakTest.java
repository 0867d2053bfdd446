package io.snkb.bridge.internal;

import static io.snkb.bridge.internal.SourceTestSupport.FAST;
import static io.snkb.bridge.internal.SourceTestSupport.config;
import static io.snkb.bridge.internal.SourceTestSupport.instance;
import static io.snkb.bridge.internal.SourceTestSupport.status;
import static io.snkb.bridge.internal.SourceTestSupport.table;
import static io.snkb.bridge.internal.SourceTestSupport.uniqueTopic;
import static io.snkb.bridge.internal.auth.OAuthTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine with every kind of OAuth failure at TRACE level and looks for any secret in what it logged,
 * threw, reported and printed.
 */
class OAuthSecretLeakTest {
    private static final String WRONG_PASSWORD = "wrong-user-pw-d17";
    private static final String WRONG_SECRET = "wrong-client-secret-e29";

    @TempDir
    Path offsets;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger snkb = (Logger) LoggerFactory.getLogger("io.snkb");
    private Level level;

    @BeforeEach
    void captureLogs() {
        level = snkb.getLevel();
        snkb.setLevel(Level.TRACE);
        captured.start();
        snkb.addAppender(captured);
    }

    @AfterEach
    void restoreLogging() {
        snkb.detachAppender(captured);
        snkb.setLevel(level);
    }

    @Test
    void failingOAuthRunShowsNoSecretInLogsErrorsStatusOrToString() {
        KeyPair registered = rsaKeys();
        KeyPair unknown = rsaKeys();
        try (ServiceNowSimulator sim = simulator(registered).build().start()) {
            sim.table("incident").insert(Map.of("short_description", "one row"));
            AuthConfig wrongPassword = new AuthConfig(AuthConfig.Type.OAUTH, USER, Secret.of(WRONG_PASSWORD),
                    AuthConfig.Grant.PASSWORD, CLIENT, Secret.of(CLIENT_SECRET), "/oauth_token.do");
            AuthConfig wrongSecret = new AuthConfig(AuthConfig.Type.OAUTH, null, null,
                    AuthConfig.Grant.CLIENT_CREDENTIALS, APP_CLIENT, Secret.of(WRONG_SECRET), "/oauth_token.do");
            BridgeConfig config = config(offsets,
                    instance("pw", sim.baseUrl(), wrongPassword, table("incident", uniqueTopic("leak-pw"), 10)),
                    instance("app", sim.baseUrl(), wrongSecret, table("incident", uniqueTopic("leak-app"), 10)),
                    instance("jwt", sim.baseUrl(), jwtBearerGrant(unknown),
                            table("incident", uniqueTopic("leak-jwt"), 10)),
                    instance("ok", sim.baseUrl(), passwordGrant(), table("incident", uniqueTopic("leak-ok"), 10)));
            List<String> shown = new ArrayList<>();

            try (EngineRuntime engine = new EngineRuntime(config, null, Map.of(), null, null, Clock.systemUTC(),
                    FAST)) {
                engine.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> status(engine, "ok", "incident").recordsProduced()
                        >= 1 && List.of("pw", "app", "jwt").stream().allMatch(name ->
                        engine.health().table(name, "incident").orElseThrow().credentialsRefused()));
                sim.revokeTokens(); // the next poll of "ok" gets 401, its refresh token is refused too
                await().atMost(Duration.ofSeconds(10)).until(() -> sim.requestLog().stream()
                        .anyMatch(e -> e.status() == 401));
                // The first access and refresh token, and the pair the password grant gave after the revocation.
                await().atMost(Duration.ofSeconds(10)).until(() -> sim.issuedTokens().size() >= 4);
                shown.add(engine.status().toString());
                shown.add(engine.health().toString());
                engine.status().tables().forEach(t -> shown.add(String.valueOf(t.lastError())));
            }
            shown.add(config.toString());
            captured.list.forEach(event -> shown.add(rendered(event)));

            List<String> secrets = new ArrayList<>(List.of(PASSWORD, WRONG_PASSWORD, CLIENT_SECRET, WRONG_SECRET,
                    JWT_SECRET));
            secrets.addAll(sim.issuedTokens());
            pem(unknown).lines().filter(l -> !l.startsWith("-----")).forEach(secrets::add);
            assertThat(secrets).hasSizeGreaterThan(10);
            assertThat(captured.list).as("the run was logged, failures included")
                    .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("refused"));
            for (String text : shown) {
                for (String secret : secrets) {
                    assertThat(text).as("something shown").doesNotContain(secret);
                }
            }
        }
    }

    private static String rendered(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        return text;
    }
}
