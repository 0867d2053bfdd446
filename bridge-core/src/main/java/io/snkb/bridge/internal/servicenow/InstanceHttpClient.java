package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.config.ConnectionConfig;
import io.snkb.bridge.config.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the JDK HTTP client of one instance: connect timeout, trust store, client certificate and proxy. The
 * client is shared by the Table API reads and the token requests of that instance. Stateless.
 */
public final class InstanceHttpClient {

    private InstanceHttpClient() {
    }

    /**
     * A client for {@code instance}; throws {@link IllegalArgumentException} naming the instance and the file
     * when a store cannot be read (missing file, wrong password, not a key store). Passwords are never shown.
     */
    public static HttpClient create(String instance, Duration connectTimeout, ConnectionConfig connection) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (connection.trustStore() != null || connection.keyStore() != null) {
            builder.sslContext(sslContext(instance, connection));
        }
        connection.proxyIfSet().ifPresent(proxy -> builder.proxy(ProxySelector.of(proxyAddress(proxy))));
        return builder.build();
    }

    /** The TLS context the settings describe; JDK defaults for whatever is not set. */
    public static SSLContext sslContext(String instance, ConnectionConfig connection) {
        try {
            TrustManager[] trust = connection.trustStoreIfSet()
                    .map(path -> trustManagers(instance, path, connection.trustStorePassword()))
                    .orElse(null);
            KeyManager[] keys = connection.keyStoreIfSet()
                    .map(path -> keyManagers(instance, path, connection.keyStorePassword()))
                    .orElse(null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Instance '" + instance + "': TLS cannot be set up: " + e.getMessage(),
                    e);
        }
    }

    private static TrustManager[] trustManagers(String instance, Path path, Secret password) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(instance, "trust store", path, password));
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw problem(instance, "trust store", path, e);
        }
    }

    private static KeyManager[] keyManagers(String instance, Path path, Secret password) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(instance, "key store", path, password), chars(password));
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw problem(instance, "key store", path, e);
        }
    }

    /** Loads a PKCS#12 or JKS file; the JDK recognises which from its content. */
    private static KeyStore load(String instance, String what, Path path, Secret password) {
        try {
            return KeyStore.getInstance(path.toFile(), chars(password));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // IllegalArgumentException: the file is missing or not a regular file.
            throw problem(instance, what, path, e);
        }
    }

    private static IllegalArgumentException problem(String instance, String what, Path path, Exception e) {
        // The JDK's messages name the file and the failure ("keystore password was incorrect"), not the password.
        return new IllegalArgumentException("Instance '" + instance + "': the " + what + " " + path
                + " cannot be read: " + e.getMessage(), e);
    }

    private static char[] chars(Secret password) {
        return password == null ? null : password.reveal().toCharArray();
    }

    private static InetSocketAddress proxyAddress(String hostPort) {
        String trimmed = hostPort.trim();
        int colon = trimmed.lastIndexOf(':');
        String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(trimmed.substring(colon + 1)));
    }
}
