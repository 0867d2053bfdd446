package io.snkb.testkit.servicenow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code /oauth_token.do} endpoint: password, client_credentials, JWT bearer and refresh_token grants, and
 * the bearer tokens they issue. Token lifetimes run on the simulator clock. A JWT bearer grant needs the
 * client's public key ({@link ServiceNowSimulator.Builder#jwtKey}); like client_credentials it returns no refresh
 * token. Thread-safe.
 *
 * <p>Failures answer 401 with an OAuth error body; ServiceNow words these loosely ({@code access_denied} as the
 * description), the simulator keeps that description but names the standard error codes
 * ({@code invalid_client}, {@code invalid_grant}); an unknown grant type answers 400
 * {@code unsupported_grant_type}.
 */
final class OAuthService {

    private static final Duration REFRESH_LIFETIME = Duration.ofDays(100);
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final Map<String, Client> clients;
    private final Map<String, SimUser> users;
    private final Map<String, PublicKey> jwtKeys;
    private final JwtVerifier jwtVerifier;
    private final Duration accessLifetime;
    private final Clock clock;
    private final Map<String, Token> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Token> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();

    record Client(String id, String secret, String actsAs) {
    }

    private record Token(String user, String clientId, Instant expiresAt) {
    }

    OAuthService(Map<String, Client> clients, Map<String, SimUser> users, Map<String, PublicKey> jwtKeys,
                 Duration accessLifetime, Clock clock) {
        this.clients = Map.copyOf(clients);
        this.users = users;
        this.jwtKeys = Map.copyOf(jwtKeys);
        this.jwtVerifier = new JwtVerifier(clock);
        this.accessLifetime = accessLifetime;
        this.clock = clock;
    }

    long requestCount() {
        return requests.get();
    }

    Set<String> issuedTokens() {
        return Set.copyOf(issued);
    }

    /** The user a bearer token acts for, if the token is known, unrevoked and unexpired. */
    Optional<String> userFor(String accessToken) {
        Token t = accessTokens.get(accessToken);
        if (t == null || !clock.instant().isBefore(t.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(t.user());
    }

    void revokeAll() {
        accessTokens.clear();
        refreshTokens.clear();
    }

    void revokeAccessTokens() {
        accessTokens.clear();
    }

    Reply handle(Map<String, String> form) {
        requests.incrementAndGet();
        Client client = clients.get(form.getOrDefault("client_id", ""));
        if (client == null || !client.secret().equals(form.get("client_secret"))) {
            return oauthError(401, "invalid_client");
        }
        String grant = form.getOrDefault("grant_type", "");
        return switch (grant) {
            case "password" -> passwordGrant(client, form);
            case "client_credentials" -> client.actsAs() == null ? oauthError(401, "invalid_grant")
                    : issue(client, client.actsAs(), false);
            case "refresh_token" -> refreshGrant(client, form.get("refresh_token"));
            case JWT_BEARER -> jwtGrant(client, form.get("assertion"));
            default -> oauthError(400, "unsupported_grant_type");
        };
    }

    private Reply passwordGrant(Client client, Map<String, String> form) {
        SimUser user = users.get(form.getOrDefault("username", ""));
        if (user == null || !user.passwordMatches(form.getOrDefault("password", ""))) {
            return oauthError(401, "invalid_grant");
        }
        return issue(client, user.name(), true);
    }

    private Reply jwtGrant(Client client, String assertion) {
        PublicKey key = jwtKeys.get(client.id());
        Optional<SimUser> user = key == null || assertion == null ? Optional.empty()
                : jwtVerifier.subject(assertion, client.id(), key).map(users::get);
        return user.isEmpty() ? oauthError(401, "invalid_grant") : issue(client, user.get().name(), false);
    }

    private Reply refreshGrant(Client client, String refreshToken) {
        Token t = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (t == null || !t.clientId().equals(client.id()) || !clock.instant().isBefore(t.expiresAt())) {
            return oauthError(401, "invalid_grant");
        }
        return tokenReply(newAccessToken(client, t.user()), refreshToken);
    }

    private Reply issue(Client client, String user, boolean withRefresh) {
        String access = newAccessToken(client, user);
        String refresh = null;
        if (withRefresh) {
            refresh = randomToken();
            refreshTokens.put(refresh, new Token(user, client.id(), clock.instant().plus(REFRESH_LIFETIME)));
        }
        return tokenReply(access, refresh);
    }

    private String newAccessToken(Client client, String user) {
        String access = randomToken();
        accessTokens.put(access, new Token(user, client.id(), clock.instant().plus(accessLifetime)));
        return access;
    }

    private Reply tokenReply(String access, String refresh) {
        issued.add(access);
        if (refresh != null) {
            issued.add(refresh);
        }
        ObjectNode body = Responses.MAPPER.createObjectNode();
        body.put("access_token", access);
        if (refresh != null) {
            body.put("refresh_token", refresh);
        }
        body.put("scope", "useraccount");
        body.put("token_type", "Bearer");
        body.put("expires_in", expiresIn());
        return Reply.json(200, Responses.bytes(body));
    }

    /**
     * ServiceNow reports one second less than the configured lifetime. Lifetimes under two seconds, which only
     * tests use, are reported rounded up to whole seconds so that they stay positive.
     */
    private long expiresIn() {
        long seconds = accessLifetime.getSeconds();
        if (seconds >= 2) {
            return seconds - 1;
        }
        return Math.max(1, accessLifetime.plusMillis(999).getSeconds());
    }

    private static Reply oauthError(int status, String error) {
        ObjectNode body = Responses.MAPPER.createObjectNode();
        body.put("error_description", "access_denied");
        body.put("error", error);
        return Reply.json(status, Responses.bytes(body));
    }

    private static String randomToken() {
        byte[] bytes = new byte[48];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
