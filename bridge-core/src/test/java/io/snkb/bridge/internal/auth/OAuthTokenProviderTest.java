package io.snkb.bridge.internal.auth;

import static io.snkb.bridge.internal.auth.OAuthTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.internal.metrics.EngineMeters;
import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.ServiceNowClient;
import io.snkb.bridge.internal.servicenow.TableRead;
import io.snkb.bridge.spi.AuthenticationException;
import io.snkb.bridge.spi.RetriableException;
import io.snkb.testkit.ManualClock;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OAuthTokenProviderTest {
    private static final KeyPair RSA = rsaKeys();
    private static ServiceNowSimulator sim;
    private final ManualClock clock = new ManualClock(Instant.now());

    @BeforeAll
    static void startSimulator() {
        sim = simulator(RSA).build().start();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void clearFaults() {
        sim.faults().clear();
    }

    @Test
    void passwordGrantObtainsATokenTheInstanceAccepts() throws Exception {
        assertTokenWorks(passwordGrant());
    }

    @Test
    void clientCredentialsGrantObtainsATokenTheInstanceAccepts() throws Exception {
        assertTokenWorks(clientCredentialsGrant());
    }

    @Test
    void jwtBearerGrantWithAnRsaKeyObtainsATokenTheInstanceAccepts() throws Exception {
        assertTokenWorks(jwtBearerGrant(RSA));
    }

    @Test
    void jwtBearerGrantWithAnEcKeyObtainsATokenTheInstanceAccepts() throws Exception {
        KeyPair ec = ecKeys();
        try (ServiceNowSimulator ecSim = simulator(ec).build().start()) {
            OAuthTokenProvider provider = provider(ecSim, jwtBearerGrant(ec), clock);
            readOnePage(ecSim, provider);
            assertThat(ecSim.requestLog()).last().extracting(RequestLogEntry::user).isEqualTo(USER);
        }
    }

    @Test
    void jwtSignedByAnotherKeyIsRefusedNamingInstanceAndGrant() {
        OAuthTokenProvider provider = provider(sim, jwtBearerGrant(rsaKeys()), clock);

        assertThatThrownBy(provider::authorization).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("'dev'").hasMessageContaining("jwt-bearer").hasMessageContaining("invalid_grant");
    }

    @Test
    void tokenIsReusedUntilTheRefreshShareOfItsLifetimeThenRenewedOnce() {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        String first = provider.authorization();
        long requests = sim.tokenRequestCount();

        // The simulator says expires_in 1799: renewal is due at 75 %, 1349.25 s.
        clock.advance(Duration.ofSeconds(1349));
        assertThat(provider.authorization()).isEqualTo(first);
        assertThat(sim.tokenRequestCount()).isEqualTo(requests);

        clock.advance(Duration.ofSeconds(1));
        String second = provider.authorization();
        assertThat(second).isNotEqualTo(first).startsWith("Bearer ");
        assertThat(provider.authorization()).isEqualTo(second);
        assertThat(sim.tokenRequestCount()).isEqualTo(requests + 1);
    }

    @Test
    void tokenRequestsAndRenewalsBeforeExpiryAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock, new EngineMeters(registry).api("dev"));
        provider.authorization();
        clock.advance(Duration.ofMinutes(23));
        provider.authorization();

        assertThat(registry.get("bridge.servicenow.requests").tags("instance", "dev", "method", "POST",
                "endpoint", "token", "status", "2xx").timer().count()).isEqualTo(2);
        assertThat(registry.get("bridge.servicenow.token.refreshes").tags("trigger", "expiry").counter().count())
                .isEqualTo(1);
    }

    @Test
    void fiftyConcurrentCallersAtExpiryCauseExactlyOneTokenRequest() throws Exception {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        String expired = provider.authorization();
        clock.advance(Duration.ofMinutes(29));
        long requests = sim.tokenRequestCount();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return provider.authorization();
                }));
            }
            start.countDown();
            Set<String> headers = ConcurrentHashMap.newKeySet();
            for (Future<String> answer : answers) {
                headers.add(answer.get(10, TimeUnit.SECONDS));
            }

            assertThat(headers).hasSize(1).doesNotContain(expired);
            assertThat(sim.tokenRequestCount()).isEqualTo(requests + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectedTokenIsRenewedWithTheRefreshTokenInOneRequest() throws Exception {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        String revoked = provider.authorization();
        sim.revokeAccessTokens();
        long requests = sim.tokenRequestCount();

        provider.rejected(revoked);
        provider.rejected(revoked); // a second table refused the same token: still one renewal

        readOnePage(sim, provider);
        assertThat(provider.authorization()).isNotEqualTo(revoked);
        assertThat(sim.tokenRequestCount()).isEqualTo(requests + 1);
    }

    @Test
    void secondUnauthorizedAnswerAfterARenewalIsFatalNamingInstanceAndGrant() {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        provider.authorization();
        long requests = sim.tokenRequestCount();
        sim.faults().apply("error=401:path=/api/now/table/incident:times=2");

        assertThatThrownBy(() -> readOnePage(sim, provider)).isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("dev").hasMessageContaining("oauth password for client " + CLIENT)
                .hasMessageContaining("refused twice")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD, CLIENT_SECRET));
        assertThat(sim.tokenRequestCount()).as("one renewal between the two 401s").isEqualTo(requests + 1);
    }

    @Test
    void refusedRefreshTokenFallsBackToTheGrantItself() throws Exception {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        String revoked = provider.authorization();
        sim.revokeTokens();
        long requests = sim.tokenRequestCount();

        provider.rejected(revoked);
        readOnePage(sim, provider);

        assertThat(sim.tokenRequestCount()).as("refresh refused, then the password grant").isEqualTo(requests + 2);
    }

    @Test
    void wrongClientSecretIsFatalAndTheEndpointIsNotAskedAgainUntilThePauseEnds() {
        AuthConfig good = passwordGrant();
        AuthConfig wrong = new AuthConfig(AuthConfig.Type.OAUTH, USER, Secret.of(PASSWORD), good.grant(), CLIENT,
                Secret.of("not-the-secret-41"), "/oauth_token.do");
        OAuthTokenProvider provider = provider(sim, wrong, clock);
        long requests = sim.tokenRequestCount();

        assertThatThrownBy(provider::authorization).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("'dev'").hasMessageContaining("password grant")
                .hasMessageContaining("invalid_client").hasMessageContaining(CLIENT)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret-41", PASSWORD));
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(provider::authorization).isInstanceOf(AuthenticationException.class);
        }
        assertThat(sim.tokenRequestCount()).isEqualTo(requests + 1);

        clock.advance(OAuthTokenProvider.FIRST_REFUSAL_PAUSE);
        assertThatThrownBy(provider::authorization).isInstanceOf(AuthenticationException.class);
        clock.advance(OAuthTokenProvider.FIRST_REFUSAL_PAUSE);
        assertThatThrownBy(provider::authorization).as("the second pause is twice as long")
                .isInstanceOf(AuthenticationException.class);
        assertThat(sim.tokenRequestCount()).isEqualTo(requests + 2);
    }

    @Test
    void refusalsInARowAreWarnedOnceThenCounted() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(OAuthTokenProvider.class);
        captured.start();
        logger.addAppender(captured);
        try {
            OAuthTokenProvider provider = provider(sim, jwtBearerGrant(rsaKeys()), clock);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(provider::authorization).isInstanceOf(AuthenticationException.class);
                clock.advance(OAuthTokenProvider.LONGEST_REFUSAL_PAUSE);
            }

            assertThat(captured.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("refused the OAuth jwt-bearer grant", "not asked again for 1000 ms");
        } finally {
            logger.detachAppender(captured);
        }
    }

    @Test
    void unavailableTokenEndpointIsRetriable() {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        sim.faults().apply("error=503:path=/oauth_token.do");

        assertThatThrownBy(provider::authorization).isInstanceOf(RetriableException.class)
                .hasMessageContaining("HTTP 503");
        sim.faults().clear();
        sim.faults().apply("hibernate:path=/oauth_token.do:times=1");
        assertThatThrownBy(provider::authorization).isInstanceOf(RetriableException.class)
                .hasMessageContaining("not JSON");
        assertThat(provider.authorization()).startsWith("Bearer ");
    }

    @Test
    void slowTokenEndpointIsRetriableOnceTheTimeoutPasses() {
        OAuthTokenProvider provider = new OAuthTokenProvider("dev", sim.baseUrl(), passwordGrant(),
                HttpClient.newHttpClient(), Duration.ofMillis(200), "snkb-test", clock, ApiMetrics.none("dev"));
        sim.faults().apply("latency=1s:path=/oauth_token.do:times=1");

        assertThatThrownBy(provider::authorization).isInstanceOf(RetriableException.class)
                .hasMessageContaining("no answer from").hasMessageContaining("within 200 ms");
    }

    @Test
    void currentTokenStaysInUseWhileRenewingItFailsForAPassingReason() {
        OAuthTokenProvider provider = provider(sim, passwordGrant(), clock);
        String current = provider.authorization();
        clock.advance(Duration.ofMinutes(25));
        sim.faults().apply("error=503:path=/oauth_token.do");

        assertThat(provider.authorization()).isEqualTo(current);
        sim.faults().clear();
        clock.advance(OAuthTokenProvider.RENEWAL_RETRY);
        assertThat(provider.authorization()).isNotEqualTo(current);
    }

    @Test
    void zeroExpiresInStillKeepsATokenForASecond() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/oauth_token.do", exchange -> {
            byte[] body = ("{\"access_token\":\"t" + requests.incrementAndGet() + "\",\"expires_in\":0}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        endpoint.start();
        try {
            OAuthTokenProvider provider = new OAuthTokenProvider("dev",
                    URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort()), clientCredentialsGrant(),
                    HttpClient.newHttpClient(), Duration.ofSeconds(5), "snkb-test", clock, ApiMetrics.none("dev"));
            for (int i = 0; i < 10; i++) {
                assertThat(provider.authorization()).isEqualTo("Bearer t1");
            }
            clock.advance(OAuthTokenProvider.SHORTEST_LIFETIME);
            assertThat(provider.authorization()).isEqualTo("Bearer t2");
            assertThat(requests).hasValue(2);
        } finally {
            endpoint.stop(0);
        }
    }

    @Test
    void descriptionAndToStringNameNoSecret() {
        OAuthTokenProvider provider = provider(sim, jwtBearerGrant(RSA), clock);
        String token = provider.authorization().substring("Bearer ".length());

        assertThat(provider.describe()).isEqualTo("oauth jwt-bearer for client snkb-jwt as snkb.integration");
        assertThat(provider + provider.describe() + jwtBearerGrant(RSA))
                .doesNotContain(token, JWT_SECRET, pem(RSA).lines().skip(1).findFirst().orElseThrow());
    }

    private void assertTokenWorks(AuthConfig auth) throws Exception {
        OAuthTokenProvider provider = provider(sim, auth, clock);
        assertThat(provider.authorization()).startsWith("Bearer ");
        readOnePage(sim, provider);
        assertThat(sim.requestLog()).last().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(200);
            assertThat(entry.user()).isEqualTo(USER);
        });
    }

    private static void readOnePage(ServiceNowSimulator target, OAuthTokenProvider provider) throws Exception {
        ServiceNowClient client = new ServiceNowClient("dev", target.baseUrl(), Duration.ofSeconds(2),
                Duration.ofSeconds(5), provider, "snkb-test");
        client.read(new TableRead("incident", "ORDERBYsys_id", List.of(), 10));
    }
}
