package io.snkb.testkit.servicenow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful ServiceNow instance over real HTTP (or HTTPS, optionally requiring client certificates): the Table API
 * (unversioned, v1 and v2), the record count of the Aggregate API, {@code /oauth_token.do} (password,
 * client_credentials, JWT bearer and refresh_token grants, with revocation and a request count for tests), Basic and
 * Bearer authentication, per-user rate limits, deletes recorded in {@code sys_audit_delete}, and injectable faults
 * ({@link #faults()}).
 *
 * <p>Tables that exist: the standard ones ({@code incident}, {@code problem}, {@code change_request},
 * {@code sys_user}, {@code sys_user_group}, {@code cmn_location}, {@code cmdb_ci}, {@code core_company},
 * {@code sys_audit_delete}) and any created with {@link #table(String)}; other names answer 400
 * "Invalid table". A query without {@code ORDERBY} returns rows in {@code sys_id} order; rows equal on every
 * {@code ORDERBY} field keep that order.
 *
 * <p>An unauthenticated admin endpoint, {@code /_sim/faults}, accepts fault specs (one per line, POST), lists them
 * (GET) and clears them (DELETE); it is meant for a simulator bound to the loopback interface.
 *
 * <p>Thread-safe. The simulator owns its HTTP server and its threads; {@link #close()} stops both.
 */
public final class ServiceNowSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceNowSimulator.class);
    private static final int LOG_CAPACITY = 100_000;

    private final String host;
    private final int requestedPort;
    private final int threads;
    private final SSLContext tls;
    private final boolean needClientCertificate;
    private final Map<String, SimUser> users;
    private final Clock clock;
    private final SimDatabase db;
    private final Faults faults = new Faults();
    private final OAuthService oauth;
    private final SimHttpHandler handler;
    private final AtomicLong requests = new AtomicLong();
    private final ArrayDeque<RequestLogEntry> log = new ArrayDeque<>();
    private Server server;
    private ServerConnector connector;

    private ServiceNowSimulator(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.tls = b.tls;
        this.needClientCertificate = b.needClientCertificate;
        this.users = Map.copyOf(b.users);
        this.clock = b.clock;
        this.db = new SimDatabase(clock);
        this.oauth = new OAuthService(b.clients(), users, b.jwtKeys, b.tokenLifetime, clock);
        RateLimiter limiter = b.rateLimit > 0 ? new RateLimiter(b.rateLimit, b.rateWindow, clock) : null;
        TableApi api = new TableApi(db, faults, b.maxLimit, b.invalidQueryReturnsNoRows,
                b.plainLiteralsInUserZone, b.repeatedHourReading, b.paginationHeaders);
        users.values().forEach(this::addUserRecord);
        this.handler = new SimHttpHandler(this, api, oauth, limiter, faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every API user has its {@code sys_user} record, where ServiceNow keeps its time zone. */
    private void addUserRecord(SimUser user) {
        String zone = user.timeZone().normalized().equals(java.time.ZoneOffset.UTC) ? "GMT" : user.timeZone().getId();
        db.table("sys_user").insert(Map.of("user_name", user.name(), "name", user.name(), "time_zone", zone));
    }

    /**
     * Binds and starts the HTTP server.
     *
     * @throws UncheckedIOException if the address cannot be bound
     * @throws IllegalStateException if already started
     */
    public synchronized ServiceNowSimulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads, 8), 2);
        pool.setName("sn-sim-http");
        pool.setDaemon(true);
        Server jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (tls != null) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
        }
        ServerConnector listener = tls == null ? new ServerConnector(jetty, new HttpConnectionFactory(http))
                : new ServerConnector(jetty, new SslConnectionFactory(sslFactory(), "http/1.1"),
                        new HttpConnectionFactory(http));
        listener.setHost(host);
        listener.setPort(requestedPort);
        listener.setAcceptQueueSize(128);
        jetty.addConnector(listener);
        jetty.setHandler(handler);
        jetty.setStopTimeout(0);
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot bind " + host + ":" + requestedPort, io);
            }
            throw new IllegalStateException("Cannot start the simulator on " + host + ":" + requestedPort, e);
        }
        server = jetty;
        connector = listener;
        LOG.info("ServiceNow simulator listening on {} with {} user(s)", baseUrl(), users.size());
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:54321}; only once started. */
    public synchronized URI baseUrl() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return URI.create((tls == null ? "http://" : "https://") + hostForUrl(host) + ":" + connector.getLocalPort());
    }

    /** The bound port; only once started. */
    public int port() {
        return baseUrl().getPort();
    }

    /** The table {@code name}, created (so that it exists for the HTTP API) on first use. */
    public SimTable table(String name) {
        return db.table(Objects.requireNonNull(name, "name"));
    }

    /** The faults to inject; see {@link Faults}. */
    public Faults faults() {
        return faults;
    }

    /** The clock stamping {@code sys_*} times, token expiry and rate-limit windows. */
    public Clock clock() {
        return clock;
    }

    public Optional<SimUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    /** The HTTP requests answered so far, admin requests excluded. */
    public long requestCount() {
        return requests.get();
    }

    /** The most recent requests answered (up to 100,000), oldest first. */
    public List<RequestLogEntry> requestLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Forgets the logged requests (the count keeps running). */
    public void clearRequestLog() {
        synchronized (log) {
            log.clear();
        }
    }

    /** Requests made to {@code /oauth_token.do}, successful or not. */
    public long tokenRequestCount() {
        return oauth.requestCount();
    }

    /** Every access and refresh token issued so far, revoked or not, so that tests can look for leaks. */
    public java.util.Set<String> issuedTokens() {
        return oauth.issuedTokens();
    }

    /** Revokes every access and refresh token issued so far; bearers of them get 401. */
    public void revokeTokens() {
        oauth.revokeAll();
    }

    /** Revokes the access tokens issued so far, keeping refresh tokens valid; bearers of them get 401. */
    public void revokeAccessTokens() {
        oauth.revokeAccessTokens();
    }

    void logRequest(RequestLogEntry entry) {
        requests.incrementAndGet();
        synchronized (log) {
            if (log.size() == LOG_CAPACITY) {
                log.removeFirst();
            }
            log.addLast(entry);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            int port = connector.getLocalPort();
            stopQuietly(server);
            LOG.info("ServiceNow simulator on port {} stopped", port);
            server = null;
            connector = null;
        }
    }

    private SslContextFactory.Server sslFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls);
        factory.setNeedClientAuth(needClientCertificate);
        // Tests address the simulator as 127.0.0.1 with certificates made for it; no SNI host check.
        factory.setSniRequired(false);
        return factory;
    }

    private static String hostForUrl(String bound) {
        String h = bound == null || bound.isEmpty() || "0.0.0.0".equals(bound) || "::".equals(bound)
                ? "127.0.0.1" : bound;
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.debug("Stopping the simulator's HTTP server failed", e);
        }
    }

    /** Configures a simulator; not thread-safe, {@link #build()} copies its state. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int threads = 8;
        private SSLContext tls;
        private boolean needClientCertificate;
        private final Map<String, SimUser> users = new LinkedHashMap<>();
        private final Map<String, String[]> clientSpecs = new LinkedHashMap<>();
        private final Map<String, PublicKey> jwtKeys = new LinkedHashMap<>();
        private Duration tokenLifetime = Duration.ofSeconds(1800);
        private int rateLimit;
        private Duration rateWindow = Duration.ofHours(1);
        private int maxLimit = 10_000;
        private Clock clock = Clock.systemUTC();
        private boolean invalidQueryReturnsNoRows;
        private boolean plainLiteralsInUserZone;
        private boolean paginationHeaders = true;
        private RepeatedHourReading repeatedHourReading = RepeatedHourReading.EARLIER;

        private Builder() {
        }

        /** The port to bind; 0 (default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
            this.port = port;
            return this;
        }

        /** The address to bind; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** HTTP worker threads; default 8. */
        public Builder threads(int threads) {
            this.threads = Math.max(1, threads);
            return this;
        }

        /** Adds a Basic-auth user with a session time zone and the default date format. */
        public Builder user(String name, String password, ZoneId timeZone) {
            return user(SimUser.builder(name).password(password).timeZone(timeZone).build());
        }

        public Builder user(SimUser user) {
            users.put(user.name(), user);
            return this;
        }

        /** Adds an OAuth client; its client_credentials grant acts as the first user added. */
        public Builder oauthClient(String clientId, String clientSecret) {
            clientSpecs.put(clientId, new String[] {clientSecret, null});
            return this;
        }

        /** Adds an OAuth client whose client_credentials grant acts as {@code actsAsUser}. */
        public Builder oauthClient(String clientId, String clientSecret, String actsAsUser) {
            clientSpecs.put(clientId, new String[] {clientSecret, actsAsUser});
            return this;
        }

        /**
         * Accepts the JWT bearer grant for {@code clientId} (added with {@link #oauthClient}) with assertions
         * signed by the private key of {@code publicKey} (RSA or EC), issued and addressed to the client id.
         */
        public Builder jwtKey(String clientId, PublicKey publicKey) {
            jwtKeys.put(Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(publicKey, "key"));
            return this;
        }

        /** The access-token lifetime; default 1800 s ({@code expires_in} reports one second less). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** Serves HTTPS with the server certificate and key of {@code context} instead of plain HTTP. */
        public Builder https(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Serves HTTPS as {@link #https(SSLContext)} does and accepts only clients that show a certificate the
         * trust managers of {@code context} trust (mutual TLS).
         */
        public Builder httpsWithClientCertificates(SSLContext context) {
            this.needClientCertificate = true;
            return https(context);
        }

        /** Allows each user {@code requests} REST requests per {@code window}; off by default. */
        public Builder rateLimit(int requests, Duration window) {
            if (requests <= 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("rate limit needs a positive count and window");
            }
            this.rateLimit = requests;
            this.rateWindow = window;
            return this;
        }

        /** The default and the cap of {@code sysparm_limit}; default 10000. */
        public Builder maxLimit(int maxLimit) {
            if (maxLimit <= 0) {
                throw new IllegalArgumentException("maxLimit must be positive");
            }
            this.maxLimit = maxLimit;
            return this;
        }

        /** The clock for {@code sys_*} stamps, token expiry and rate-limit windows; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Like {@code glide.invalid_query.returns_no_rows}: a condition on an unknown field matches nothing. */
        public Builder invalidQueryReturnsNoRows(boolean enabled) {
            this.invalidQueryReturnsNoRows = enabled;
            return this;
        }

        /**
         * Whether lists carry a {@code Link} header, as ServiceNow's do; {@code false} to stand for a proxy or an
         * emulator that drops it. Default {@code true}.
         */
        public Builder paginationHeaders(boolean enabled) {
            this.paginationHeaders = enabled;
            return this;
        }

        /**
         * Reads plain date-time literals of queries ({@code sys_updated_on>2024-03-05 07:00:00}) in the session
         * user's time zone, as some instances do, instead of as UTC. {@code gs.dateGenerate} literals are read
         * in the user's zone either way.
         */
        public Builder plainLiteralsInUserZone(boolean enabled) {
            this.plainLiteralsInUserZone = enabled;
            return this;
        }

        /**
         * Which instant a local date-time of a query is read as when the user's zone repeats it, in the hour when
         * daylight saving ends; default {@link RepeatedHourReading#EARLIER}. ServiceNow does not document it.
         */
        public Builder repeatedHourReading(RepeatedHourReading reading) {
            this.repeatedHourReading = Objects.requireNonNull(reading, "reading");
            return this;
        }

        public ServiceNowSimulator build() {
            return new ServiceNowSimulator(this);
        }

        private Map<String, OAuthService.Client> clients() {
            String firstUser = users.keySet().stream().findFirst().orElse(null);
            Map<String, OAuthService.Client> clients = new LinkedHashMap<>();
            clientSpecs.forEach((id, spec) -> clients.put(id, new OAuthService.Client(id, spec[0],
                    spec[1] != null ? spec[1] : firstUser)));
            return clients;
        }
    }
}
