package io.snkb.bridge.internal.auth;

import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.spi.TokenProvider;
import java.net.http.HttpClient;
import java.time.Clock;

/** Builds the token provider an instance's {@code auth} section describes. Thread-safe. */
public final class TokenProviders {

    private TokenProviders() {
    }

    /**
     * Basic, or OAuth through {@code http} (the instance's own client, so token requests use its trust store
     * and proxy). Throws {@link IllegalStateException} when basic auth has no password.
     */
    public static TokenProvider forInstance(InstanceConfig instance, HttpClient http, String userAgent, Clock clock,
                                            ApiMetrics metrics) {
        AuthConfig auth = instance.auth();
        if (auth.type() == AuthConfig.Type.BASIC) {
            return new BasicTokenProvider(instance.name(), auth.username(), auth.passwordIfSet().orElseThrow(
                    () -> new IllegalStateException("Instance '" + instance.name() + "' uses basic auth without a "
                            + "password")));
        }
        return new OAuthTokenProvider(instance.name(), instance.baseUrl(), auth, http, instance.requestTimeout(),
                userAgent, clock, metrics);
    }
}
