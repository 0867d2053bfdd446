package io.snkb.bridge.config;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ServiceNow instance. Immutable.
 *
 * @param name           a short unique name used in topics, positions, logs and metrics
 * @param baseUrl        e.g. {@code https://acme.service-now.com}, without a trailing slash
 * @param auth           how requests authenticate
 * @param connectTimeout TCP and TLS connect timeout
 * @param requestTimeout the longest one request may take, body included
 * @param tables         the tables read from this instance
 * @param connection     trust store, client certificate and proxy of the HTTP client
 * @param timeZone       the integration user's session time zone as configured, or {@code null} to detect it
 */
public record InstanceConfig(String name, URI baseUrl, AuthConfig auth, Duration connectTimeout,
                             Duration requestTimeout, List<TableConfig> tables, ConnectionConfig connection,
                             String timeZone) {

    public InstanceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        tables = List.copyOf(tables);
        Objects.requireNonNull(connection, "connection");
    }

    /**
     * An instance reached with the JDK's trust store, without client certificate or proxy, whose integration
     * user's time zone is detected.
     */
    public InstanceConfig(String name, URI baseUrl, AuthConfig auth, Duration connectTimeout,
                          Duration requestTimeout, List<TableConfig> tables) {
        this(name, baseUrl, auth, connectTimeout, requestTimeout, tables, ConnectionConfig.DEFAULTS, null);
    }

    /** An instance with its own connection settings, whose integration user's time zone is detected. */
    public InstanceConfig(String name, URI baseUrl, AuthConfig auth, Duration connectTimeout,
                          Duration requestTimeout, List<TableConfig> tables, ConnectionConfig connection) {
        this(name, baseUrl, auth, connectTimeout, requestTimeout, tables, connection, null);
    }

    /** An instance reached with default connection settings, its user's time zone given. */
    public InstanceConfig(String name, URI baseUrl, AuthConfig auth, Duration connectTimeout,
                          Duration requestTimeout, List<TableConfig> tables, String timeZone) {
        this(name, baseUrl, auth, connectTimeout, requestTimeout, tables, ConnectionConfig.DEFAULTS, timeZone);
    }

    /** The configured session time zone, if any. */
    public Optional<ZoneId> sessionZone() {
        return Optional.ofNullable(timeZone).map(ZoneId::of);
    }

    public Optional<TableConfig> table(String tableName) {
        return tables.stream().filter(t -> t.name().equals(tableName)).findFirst();
    }
}
