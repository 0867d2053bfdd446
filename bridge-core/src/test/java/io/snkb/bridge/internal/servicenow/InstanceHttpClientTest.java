package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.ConnectionConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.auth.BasicTokenProvider;
import io.snkb.bridge.internal.auth.OAuthTokenProvider;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-instance HTTP client against a simulator served over HTTPS with a certificate made by keytool. */
class InstanceHttpClientTest {
    private static final String SERVER_PW = "server-store-pw";
    private static final String TRUST_PW = "trust-store-pw";
    private static final TableRead PAGE = new TableRead("incident", "ORDERBYsys_id", List.of(), 10);

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "sim", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", dir.resolve("server.p12").toString(), "-storepass", SERVER_PW, "-keypass", SERVER_PW);
        keytool("-exportcert", "-rfc", "-alias", "sim", "-keystore", dir.resolve("server.p12").toString(),
                "-storepass", SERVER_PW, "-file", dir.resolve("sim.pem").toString());
        keytool("-importcert", "-noprompt", "-alias", "sim", "-file", dir.resolve("sim.pem").toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", TRUST_PW);
    }

    @Test
    void readsOverHttpsWhenTheTrustStoreHoldsTheInstanceCertificate() throws Exception {
        try (ServiceNowSimulator sim = httpsSimulator()) {
            ConnectionConfig trusting = new ConnectionConfig(dir.resolve("trust.p12"), Secret.of(TRUST_PW), null,
                    null, null);

            client(sim.baseUrl(), InstanceHttpClient.create("dev", Duration.ofSeconds(2), trusting)).read(PAGE);

            assertThat(sim.baseUrl().getScheme()).isEqualTo("https");
            assertThat(sim.requestLog()).extracting(RequestLogEntry::status).containsExactly(200);
        }
    }

    @Test
    void tokenRequestsUseTheSameTrustStore() {
        try (ServiceNowSimulator sim = httpsSimulator()) {
            ConnectionConfig trusting = new ConnectionConfig(dir.resolve("trust.p12"), Secret.of(TRUST_PW), null,
                    null, null);
            AuthConfig auth = new AuthConfig(AuthConfig.Type.OAUTH, null, null, AuthConfig.Grant.CLIENT_CREDENTIALS,
                    "app", Secret.of("app-secret"), "/oauth_token.do");
            OAuthTokenProvider tokens = new OAuthTokenProvider("dev", sim.baseUrl(), auth,
                    InstanceHttpClient.create("dev", Duration.ofSeconds(2), trusting), Duration.ofSeconds(5),
                    "snkb-test", Clock.systemUTC(), ApiMetrics.none("dev"));

            assertThat(tokens.authorization()).startsWith("Bearer ");
            assertThat(sim.tokenRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void withoutTheTrustStoreTheHandshakeFailsAndNothingIsRead() {
        try (ServiceNowSimulator sim = httpsSimulator()) {
            HttpClient jdkDefaults = InstanceHttpClient.create("dev", Duration.ofSeconds(2), ConnectionConfig.DEFAULTS);

            assertThatThrownBy(() -> client(sim.baseUrl(), jdkDefaults).read(PAGE))
                    .isInstanceOf(RetriableServiceNowException.class)
                    .hasMessageContaining("'dev'")
                    .hasMessageContaining("SSL");
            assertThat(sim.requestLog()).isEmpty();
        }
    }

    @Test
    void wrongKeyStorePasswordNamesInstanceAndFileButNotThePassword() {
        ConnectionConfig wrong = new ConnectionConfig(null, null, dir.resolve("server.p12"),
                Secret.of("not-the-store-pw"), null);

        assertThatThrownBy(() -> InstanceHttpClient.create("dev", Duration.ofSeconds(2), wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dev'").hasMessageContaining("key store").hasMessageContaining("server.p12")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-store-pw"));
    }

    @Test
    void clientCertificateFromTheKeyStoreIsShownForMutualTls() throws Exception {
        // The simulator trusts the certificate it serves, so the client shows that same one from server.p12.
        try (ServiceNowSimulator sim = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC)
                .httpsWithClientCertificates(serverContext(true)).build().start()) {
            ConnectionConfig mutual = new ConnectionConfig(dir.resolve("trust.p12"), Secret.of(TRUST_PW),
                    dir.resolve("server.p12"), Secret.of(SERVER_PW), null);
            ConnectionConfig noCertificate = new ConnectionConfig(dir.resolve("trust.p12"), Secret.of(TRUST_PW),
                    null, null, null);

            client(sim.baseUrl(), InstanceHttpClient.create("dev", Duration.ofSeconds(2), mutual)).read(PAGE);
            assertThatThrownBy(() -> client(sim.baseUrl(),
                    InstanceHttpClient.create("dev", Duration.ofSeconds(2), noCertificate)).read(PAGE))
                    .isInstanceOf(RetriableServiceNowException.class);
            assertThat(sim.requestLog()).extracting(RequestLogEntry::status).containsExactly(200);
        }
    }

    @Test
    void requestsGoThroughTheConfiguredProxy() throws Exception {
        AtomicReference<URI> seen = new AtomicReference<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            seen.set(exchange.getRequestURI());
            byte[] body = "{\"result\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        try {
            ConnectionConfig viaProxy = new ConnectionConfig(null, null, null, null,
                    "127.0.0.1:" + proxy.getAddress().getPort());
            HttpClient http = InstanceHttpClient.create("dev", Duration.ofSeconds(2), viaProxy);

            assertThat(client(URI.create("http://acme.invalid"), http).read(PAGE)).isEmpty();
            assertThat(seen.get()).hasHost("acme.invalid").hasPath("/api/now/table/incident");
        } finally {
            proxy.stop(0);
        }
    }

    private static ServiceNowSimulator httpsSimulator() {
        return ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC).oauthClient("app", "app-secret")
                .https(serverContext(false)).build().start();
    }

    private static ServiceNowClient client(URI baseUrl, HttpClient http) {
        return new ServiceNowClient("dev", baseUrl, Duration.ofSeconds(5),
                new BasicTokenProvider("dev", "snkb", Secret.of("pw")), "snkb-test", ApiMetrics.none("dev"), http);
    }

    /** The simulator's certificate and key; trusting the certificates of trust.p12 when asked to. */
    private static SSLContext serverContext(boolean trustClients) {
        try (InputStream in = new FileInputStream(dir.resolve("server.p12").toFile())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, SERVER_PW.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, SERVER_PW.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(KeyStore.getInstance(dir.resolve("trust.p12").toFile(), TRUST_PW.toCharArray()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trustClients ? trust.getTrustManagers() : null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
