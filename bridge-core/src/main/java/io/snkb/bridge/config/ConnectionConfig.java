package io.snkb.bridge.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the HTTP client of one instance connects, beyond timeouts: whom it trusts, which certificate it shows
 * and through which proxy it goes. Every field may be {@code null}: the JDK's trust store, no client
 * certificate, no proxy. Immutable; {@link #toString()} masks the passwords.
 *
 * @param trustStore         a PKCS#12 or JKS file of the certificates to trust instead of the JDK's
 * @param trustStorePassword its password
 * @param keyStore           a PKCS#12 or JKS file with the client certificate and key for mutual TLS
 * @param keyStorePassword   its password, also used for the key in it
 * @param proxy              an HTTP proxy as {@code host:port}
 */
public record ConnectionConfig(Path trustStore, Secret trustStorePassword, Path keyStore, Secret keyStorePassword,
                               String proxy) {

    /** The JDK defaults: its trust store, no client certificate, no proxy. */
    public static final ConnectionConfig DEFAULTS = new ConnectionConfig(null, null, null, null, null);

    public Optional<Path> trustStoreIfSet() {
        return Optional.ofNullable(trustStore);
    }

    public Optional<Path> keyStoreIfSet() {
        return Optional.ofNullable(keyStore);
    }

    public Optional<String> proxyIfSet() {
        return Optional.ofNullable(proxy);
    }
}
