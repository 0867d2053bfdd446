package io.snkb.bridge.internal.auth;

import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;

/** Credentials, key pairs and providers for tests of OAuth against the simulator. */
public final class OAuthTestSupport {
    public static final String USER = "snkb.integration";
    public static final String PASSWORD = "user-pw-7e1f";
    public static final String CLIENT = "snkb-client";
    public static final String CLIENT_SECRET = "client-secret-93ad";
    public static final String APP_CLIENT = "snkb-app";
    public static final String APP_SECRET = "app-secret-5c2b";
    public static final String JWT_CLIENT = "snkb-jwt";
    public static final String JWT_SECRET = "jwt-secret-8d4e";

    private OAuthTestSupport() {
    }

    /**
     * A simulator with the integration user, a client for the password grant, one whose client_credentials
     * grant acts as the user, and one accepting JWT bearer assertions signed by {@code jwtKeys}.
     */
    public static ServiceNowSimulator.Builder simulator(KeyPair jwtKeys) {
        ServiceNowSimulator.Builder builder = ServiceNowSimulator.builder()
                .user(USER, PASSWORD, ZoneOffset.UTC)
                .oauthClient(CLIENT, CLIENT_SECRET)
                .oauthClient(APP_CLIENT, APP_SECRET, USER)
                .oauthClient(JWT_CLIENT, JWT_SECRET, USER);
        if (jwtKeys != null) {
            builder.jwtKey(JWT_CLIENT, jwtKeys.getPublic());
        }
        return builder;
    }

    public static AuthConfig passwordGrant() {
        return new AuthConfig(AuthConfig.Type.OAUTH, USER, Secret.of(PASSWORD), AuthConfig.Grant.PASSWORD, CLIENT,
                Secret.of(CLIENT_SECRET), "/oauth_token.do");
    }

    public static AuthConfig clientCredentialsGrant() {
        return new AuthConfig(AuthConfig.Type.OAUTH, null, null, AuthConfig.Grant.CLIENT_CREDENTIALS, APP_CLIENT,
                Secret.of(APP_SECRET), "/oauth_token.do");
    }

    public static AuthConfig jwtBearerGrant(KeyPair keys) {
        AuthConfig.Jwt jwt = new AuthConfig.Jwt(Secret.of(pem(keys)), "snkb-key-1", null, Duration.ofMinutes(1));
        return new AuthConfig(AuthConfig.Type.OAUTH, USER, null, AuthConfig.Grant.JWT_BEARER, JWT_CLIENT,
                Secret.of(JWT_SECRET), "/oauth_token.do", AuthConfig.DEFAULT_REFRESH_AT_PERCENT, jwt);
    }

    public static OAuthTokenProvider provider(ServiceNowSimulator sim, AuthConfig auth, Clock clock) {
        return provider(sim, auth, clock, ApiMetrics.none("dev"));
    }

    public static OAuthTokenProvider provider(ServiceNowSimulator sim, AuthConfig auth, Clock clock,
                                              ApiMetrics metrics) {
        return new OAuthTokenProvider("dev", sim.baseUrl(), auth, HttpClient.newHttpClient(), Duration.ofSeconds(5),
                "snkb-test", clock, metrics);
    }

    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as PKCS#8 PEM, as a file read through {@code ${file:...}} would hold it. */
    public static String pem(KeyPair keys) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }
}
