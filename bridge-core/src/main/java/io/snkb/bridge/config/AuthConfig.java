package io.snkb.bridge.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for one instance. Which fields are set depends on {@link #type()} and {@link #grant()};
 * the loader has checked that the ones needed are present. {@link #toString()} masks every secret.
 *
 * @param type             basic or oauth
 * @param username         the integration user (basic, the oauth password grant, the JWT subject)
 * @param password         its password (basic, and the oauth password grant)
 * @param grant            the OAuth grant; {@code null} for basic
 * @param clientId         the OAuth client id
 * @param clientSecret     the OAuth client secret
 * @param tokenPath        the token endpoint path, default {@code /oauth_token.do}
 * @param refreshAtPercent the share of a token's lifetime, in percent, after which it is replaced
 * @param jwt              how the JWT bearer assertion is made; {@code null} for other grants
 */
public record AuthConfig(Type type, String username, Secret password, Grant grant, String clientId,
                         Secret clientSecret, String tokenPath, int refreshAtPercent, Jwt jwt) {

    /** Used when no share is configured: a token is replaced once three quarters of its lifetime have passed. */
    public static final int DEFAULT_REFRESH_AT_PERCENT = 75;

    public AuthConfig {
        Objects.requireNonNull(type, "type");
        if (refreshAtPercent < 1 || refreshAtPercent > 99) {
            throw new IllegalArgumentException("refreshAtPercent must be 1 to 99, not " + refreshAtPercent);
        }
    }

    /** Credentials with the default refresh share and no JWT settings. */
    public AuthConfig(Type type, String username, Secret password, Grant grant, String clientId,
                      Secret clientSecret, String tokenPath) {
        this(type, username, password, grant, clientId, clientSecret, tokenPath, DEFAULT_REFRESH_AT_PERCENT, null);
    }

    /** How a request authenticates. */
    public enum Type { BASIC, OAUTH }

    /** OAuth 2 grant types ServiceNow's {@code /oauth_token.do} accepts. */
    public enum Grant { PASSWORD, CLIENT_CREDENTIALS, JWT_BEARER }

    public Optional<Secret> passwordIfSet() {
        return Optional.ofNullable(password);
    }

    /** This configuration with {@code percent} as the refresh share. */
    public AuthConfig withRefreshAtPercent(int percent) {
        return new AuthConfig(type, username, password, grant, clientId, clientSecret, tokenPath, percent, jwt);
    }

    /**
     * The signed assertion of the JWT bearer grant. {@link #toString()} masks the key.
     *
     * @param privateKey the PKCS#8 PEM private key (RSA or EC P-256) that signs the assertion
     * @param keyId      the {@code kid} header, {@code null} for none
     * @param audience   the {@code aud} claim, {@code null} for the client id
     * @param lifetime   how long an assertion is valid
     */
    public record Jwt(Secret privateKey, String keyId, String audience, Duration lifetime) {
        public Jwt {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(lifetime, "lifetime");
        }
    }
}
