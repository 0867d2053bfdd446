package io.snkb.bridge.internal.auth;

import io.snkb.bridge.config.Secret;
import io.snkb.bridge.spi.AuthenticationException;
import io.snkb.bridge.spi.TokenProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * HTTP Basic credentials of one integration user. The header value is computed once; a 401 cannot be
 * cured by asking again, so {@link #rejected(String)} throws. Immutable and thread-safe; holds nothing to
 * close. Neither {@link #toString()} nor any message shows the password.
 */
public final class BasicTokenProvider implements TokenProvider {
    private final String instance;
    private final String username;
    private final String header;

    public BasicTokenProvider(String instance, String username, Secret password) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.username = Objects.requireNonNull(username, "username");
        String pair = username + ":" + Objects.requireNonNull(password, "password").reveal();
        this.header = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String authorization() {
        return header;
    }

    @Override
    public void rejected(String authorizationValue) {
        throw new AuthenticationException("Instance '" + instance + "' refused the basic credentials of user '"
                + username + "'; check the user name, password, and that the account is active and not locked");
    }

    @Override
    public String describe() {
        return "basic as " + username;
    }

    @Override
    public String toString() {
        return "BasicTokenProvider[instance=" + instance + ", user=" + username + "]";
    }
}
