package io.snkb.bridge.config;

import java.util.Objects;

/**
 * The HTTP endpoint for metrics and health.
 *
 * @param enabled whether it is served
 * @param host    the address to bind
 * @param port    the port; 0 picks a free one
 */
public record HttpConfig(boolean enabled, String host, int port) {
    public HttpConfig {
        Objects.requireNonNull(host, "host");
    }
}
