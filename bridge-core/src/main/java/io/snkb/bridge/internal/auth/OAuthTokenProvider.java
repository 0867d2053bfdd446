package io.snkb.bridge.internal.auth;

import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.AuthConfig.Grant;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.internal.support.RepeatedFailureLog;
import io.snkb.bridge.spi.AuthenticationException;
import io.snkb.bridge.spi.RetriableException;
import io.snkb.bridge.spi.TokenProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from an instance's OAuth token endpoint, with the {@code password}, {@code client_credentials}
 * or JWT bearer grant.
 *
 * <p>A token is replaced once the configured share of its lifetime has passed, so requests never carry one
 * about to lapse. A refresh token, when the endpoint returned one, is used first; the grant itself is used
 * again only when the refresh token is refused. After a 401, {@link #rejected(String)} marks the token used up
 * and the next {@link #authorization()} obtains a new one.
 *
 * <p>Refusals by the endpoint ({@code invalid_client}, {@code invalid_grant}, any 4xx) throw
 * {@link AuthenticationException}; the endpoint is then not asked again for a pause that doubles with each
 * refusal in a row (one second up to five minutes), whatever the number of callers, so wrong credentials
 * never cause a storm of requests or lock an account. A busy or unreachable endpoint (5xx, 429, timeouts, HTML
 * pages) throws {@link RetriableException}, unless the current token is still valid: it is then used a while
 * longer.
 *
 * <p>Thread-safe. One refresh at a time: callers that need a token while it is being obtained wait for that
 * one request. Does not own the HTTP client. No secret or token appears in messages, logs or
 * {@link #toString()}.
 */
public final class OAuthTokenProvider implements TokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenProvider.class);
    /** Assumed when the endpoint gives no {@code expires_in}; ServiceNow's default lifetime. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(30);
    static final Duration SHORTEST_LIFETIME = Duration.ofSeconds(1);
    static final Duration FIRST_REFUSAL_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_REFUSAL_PAUSE = Duration.ofMinutes(5);
    /** How long a still-valid token is used further when renewing it failed for a passing reason. */
    static final Duration RENEWAL_RETRY = Duration.ofSeconds(5);

    private final String instance;
    private final AuthConfig auth;
    private final TokenEndpoint endpoint;
    private final JwtAssertion assertion;
    private final Clock clock;
    private final ApiMetrics metrics;
    private final ReentrantLock renewal = new ReentrantLock();
    /** Guarded by {@link #renewal}: refusals in a row are logged once, then counted. */
    private final RepeatedFailureLog refusals;
    private volatile Token current;
    /** Guarded by {@link #renewal}. */
    private Refusal refusal;

    /** A token and when it is renewed; {@link #toString()} hides both tokens. */
    private record Token(String header, String refreshToken, Instant renewAt, Instant expiresAt) {
        Token usedUp(Instant now) {
            return new Token(header, refreshToken, Instant.MIN, now);
        }

        Token postponed(Instant until) {
            return new Token(header, refreshToken, until, expiresAt);
        }

        @Override
        public String toString() {
            return "Token[renewAt=" + renewAt + ", expiresAt=" + expiresAt + "]";
        }
    }

    private record Refusal(String message, int inARow, Instant pausedUntil) {
    }

    /**
     * @param instance  the instance name, for messages and metrics
     * @param baseUrl   the instance's base URL; the token path of {@code auth} is appended
     * @param auth      OAuth settings, with the grant and what it needs
     * @param http      the instance's HTTP client (trust store, proxy), shared with its table reads
     * @param timeout   the longest a token request may take
     * @param userAgent the {@code User-Agent} header
     * @param clock     decides when tokens are renewed and refusal pauses end
     * @param metrics   counts token requests and renewals before expiry
     */
    public OAuthTokenProvider(String instance, URI baseUrl, AuthConfig auth, HttpClient http, Duration timeout,
                              String userAgent, Clock clock, ApiMetrics metrics) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.auth = checked(instance, auth);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        URI uri = URI.create(baseUrl.toString().replaceAll("/+$", "") + auth.tokenPath());
        this.endpoint = new TokenEndpoint(uri, http, timeout, userAgent, metrics);
        this.refusals = new RepeatedFailureLog(LOG, "Obtaining an access token for instance '" + instance + "'");
        this.assertion = auth.grant() == Grant.JWT_BEARER
                ? new JwtAssertion(instance, auth.clientId(), auth.username(), auth.jwt(), clock) : null;
    }

    @Override
    public String authorization() {
        Token token = current;
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return token.header();
        }
        return renew().header();
    }

    @Override
    public void rejected(String authorizationValue) {
        renewal.lock();
        try {
            Token token = current;
            // Another caller may have renewed it already; then the new token stands.
            if (token != null && token.header().equals(authorizationValue)) {
                LOG.info("Instance '{}' refused the access token ({}); obtaining a new one", instance, describe());
                current = token.usedUp(clock.instant());
            }
        } finally {
            renewal.unlock();
        }
    }

    @Override
    public String describe() {
        return "oauth " + grantName() + " for client " + auth.clientId()
                + (auth.username() == null ? "" : " as " + auth.username());
    }

    @Override
    public String toString() {
        return "OAuthTokenProvider[instance=" + instance + ", grant=" + grantName() + ", client=" + auth.clientId()
                + ", endpoint=" + endpoint.uri() + "]";
    }

    private Token renew() {
        lockInterruptibly();
        try {
            Token token = current;
            Instant now = clock.instant();
            if (token != null && now.isBefore(token.renewAt())) {
                return token; // renewed by the caller this one waited for
            }
            throwWhilePaused(now);
            return renewNow(token, now);
        } finally {
            renewal.unlock();
        }
    }

    private Token renewNow(Token previous, Instant now) {
        try {
            Token fresh = obtain(previous);
            if (previous != null && previous.renewAt() != Instant.MIN) {
                metrics.tokenRefreshed(ApiMetrics.RefreshTrigger.EXPIRY);
            }
            LOG.debug("Instance '{}' has a new access token, renewed at {}", instance, fresh.renewAt());
            refusal = null;
            refusals.succeeded();
            current = fresh;
            return fresh;
        } catch (TokenEndpoint.Failure e) {
            if (e.refused()) {
                throw refused(e, now);
            }
            if (previous != null && now.isBefore(previous.expiresAt())) {
                LOG.warn("Instance '{}': renewing the access token failed, using the current one until {}: {}",
                        instance, previous.expiresAt(), e.getMessage());
                current = previous.postponed(earlier(now.plus(RENEWAL_RETRY), previous.expiresAt()));
                return current;
            }
            throw new RetriableException("Instance '" + instance + "': no access token (" + describe() + "): "
                    + e.getMessage(), e);
        }
    }

    private Token obtain(Token previous) throws TokenEndpoint.Failure {
        if (previous != null && previous.refreshToken() != null) {
            try {
                return token(endpoint.request(refreshForm(previous.refreshToken())), previous.refreshToken());
            } catch (TokenEndpoint.Failure e) {
                if (!e.refused()) {
                    throw e;
                }
                LOG.info("Instance '{}' refused the refresh token ({}); using the {} grant again", instance,
                        e.getMessage(), grantName());
            }
        }
        return token(endpoint.request(grantForm()), null);
    }

    private Token token(TokenEndpoint.Issued issued, String previousRefresh) {
        Instant now = clock.instant();
        Duration lifetime = issued.expiresIn() != null ? issued.expiresIn() : DEFAULT_LIFETIME;
        // An expires_in of 0 would make every request ask for a token; a second is the least taken.
        lifetime = lifetime.compareTo(SHORTEST_LIFETIME) < 0 ? SHORTEST_LIFETIME : lifetime;
        Duration untilRenewal = Duration.ofMillis(lifetime.toMillis() * auth.refreshAtPercent() / 100);
        String refresh = issued.refreshToken() != null ? issued.refreshToken() : previousRefresh;
        return new Token("Bearer " + issued.accessToken(), refresh, now.plus(untilRenewal), now.plus(lifetime));
    }

    private Map<String, String> grantForm() {
        Map<String, String> form = new LinkedHashMap<>();
        switch (auth.grant()) {
            case PASSWORD -> {
                form.put("grant_type", "password");
                form.put("username", auth.username());
                form.put("password", auth.password().reveal());
            }
            case CLIENT_CREDENTIALS -> form.put("grant_type", "client_credentials");
            case JWT_BEARER -> {
                form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                form.put("assertion", assertion.sign());
            }
            default -> throw new IllegalStateException("unknown grant " + auth.grant());
        }
        addClient(form);
        return form;
    }

    private Map<String, String> refreshForm(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        addClient(form);
        return form;
    }

    private void addClient(Map<String, String> form) {
        form.put("client_id", auth.clientId());
        form.put("client_secret", auth.clientSecret().reveal());
    }

    private AuthenticationException refused(TokenEndpoint.Failure e, Instant now) {
        int inARow = refusal == null ? 1 : refusal.inARow() + 1;
        Duration pause = FIRST_REFUSAL_PAUSE.multipliedBy(1L << Math.min(20, inARow - 1));
        pause = pause.compareTo(LONGEST_REFUSAL_PAUSE) > 0 ? LONGEST_REFUSAL_PAUSE : pause;
        String message = "Instance '" + instance + "' refused the OAuth " + grantName() + " grant of client '"
                + auth.clientId() + "'" + (auth.username() == null ? "" : " for user '" + auth.username() + "'")
                + " (" + e.getMessage() + "); check the client id and secret"
                + (auth.grant() == Grant.PASSWORD ? ", the user and password" : "")
                + (auth.grant() == Grant.JWT_BEARER ? ", the key and the instance's JWT verifier" : "")
                + " and that the OAuth application is active";
        refusal = new Refusal(message, inARow, now.plus(pause));
        refusals.failed(message + "; the token endpoint is not asked again for " + pause.toMillis() + " ms", null);
        return new AuthenticationException(message);
    }

    private void throwWhilePaused(Instant now) {
        if (refusal != null && now.isBefore(refusal.pausedUntil())) {
            throw new AuthenticationException(refusal.message() + "; not asked again before " + refusal.pausedUntil());
        }
    }

    private void lockInterruptibly() {
        try {
            renewal.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("Interrupted while waiting for an access token of instance '" + instance
                    + "'", e);
        }
    }

    private String grantName() {
        return auth.grant().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The loader has checked a configuration file; records built in code get the same checks here. */
    private static AuthConfig checked(String instance, AuthConfig auth) {
        Objects.requireNonNull(auth, "auth");
        if (auth.type() != AuthConfig.Type.OAUTH || auth.grant() == null || auth.clientId() == null
                || auth.clientSecret() == null || auth.tokenPath() == null) {
            throw new IllegalArgumentException("Instance '" + instance + "' needs an OAuth grant, client id, "
                    + "client secret and token path");
        }
        boolean complete = switch (auth.grant()) {
            case PASSWORD -> auth.username() != null && auth.password() != null;
            case JWT_BEARER -> auth.username() != null && auth.jwt() != null;
            case CLIENT_CREDENTIALS -> true;
        };
        if (!complete) {
            throw new IllegalArgumentException("Instance '" + instance + "': the " + auth.grant() + " grant needs "
                    + (auth.grant() == Grant.PASSWORD ? "a user name and password" : "a user name and a private key"));
        }
        return auth;
    }
}
