package io.snkb.bridge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for one instance. Which fields are set depends on {@link #type()} and {@link #grant()};
 * the loader has checked that the ones needed are present. {@link #toString()} masks every secret.
 *
 * @param type         basic or oauth
 * @param username     the integration user (basic, and the oauth password grant)
 * @param password     its password (basic, and the oauth password grant)
 * @param grant        the OAuth grant; {@code null} for basic
 * @param clientId     the OAuth client id
 * @param clientSecret the OAuth client secret
 * @param tokenPath    the token endpoint path, default {@code /oauth_token.do}
 */
public record AuthConfig(Type type, String username, Secret password, Grant grant, String clientId,
                         Secret clientSecret, String tokenPath) {

    public AuthConfig {
        Objects.requireNonNull(type, "type");
    }

    /** How a request authenticates. */
    public enum Type { BASIC, OAUTH }

    /** OAuth 2 grant types ServiceNow's {@code /oauth_token.do} accepts. */
    public enum Grant { PASSWORD, CLIENT_CREDENTIALS }

    public Optional<Secret> passwordIfSet() {
        return Optional.ofNullable(password);
    }
}
