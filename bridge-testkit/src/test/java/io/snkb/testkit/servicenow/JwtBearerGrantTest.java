package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.snkb.testkit.ManualClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtBearerGrantTest {
    private static final String GRANT = URLEncoder.encode(OAuthService.JWT_BEARER, StandardCharsets.UTF_8);

    private final ManualClock clock = ManualClock.at("2024-03-05T06:10:00Z");
    private final KeyPair keys = rsa();
    private ServiceNowSimulator sim;

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC).oauthClient("jwt-app", "app-secret")
                .jwtKey("jwt-app", keys.getPublic()).tokenLifetime(Duration.ofSeconds(1)).clock(clock).build()
                .start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void validAssertionGetsATokenActingAsItsSubject() {
        HttpResponse<String> response = exchange(sign(keys, "jwt-app", "snkb", UUID.randomUUID().toString(), 60));
        JsonNode token = json(response);

        SimClient.bearer(sim, token.get("access_token").asText()).get("/api/now/table/incident");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(token.has("refresh_token")).isFalse();
        assertThat(token.get("expires_in").asInt()).as("a one-second lifetime still reports one second").isEqualTo(1);
        assertThat(sim.requestLog()).last().extracting(RequestLogEntry::user).isEqualTo("snkb");
    }

    @Test
    void replayedExpiredMisaddressedForeignOrUnknownSubjectAssertionsAreRefused() {
        String once = sign(keys, "jwt-app", "snkb", "jti-1", 60);
        assertThat(exchange(once).statusCode()).isEqualTo(200);

        assertRefused(exchange(once));
        assertRefused(exchange(sign(keys, "someone-else", "snkb", "jti-2", 60)));
        assertRefused(exchange(sign(rsa(), "jwt-app", "snkb", "jti-3", 60)));
        assertRefused(exchange(sign(keys, "jwt-app", "nobody", "jti-4", 60)));
        String shortLived = sign(keys, "jwt-app", "snkb", "jti-5", 1);
        clock.advance(Duration.ofSeconds(2));
        assertRefused(exchange(shortLived));
    }

    @Test
    void revokingAccessTokensKeepsRefreshTokensValid() {
        ServiceNowSimulator withRefresh = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC)
                .oauthClient("cid", "cs").build().start();
        try {
            JsonNode first = json(SimClient.anonymous(withRefresh).postForm("/oauth_token.do",
                    "grant_type=password&client_id=cid&client_secret=cs&username=snkb&password=pw"));
            withRefresh.revokeAccessTokens();

            SimClient revoked = SimClient.bearer(withRefresh, first.get("access_token").asText());
            HttpResponse<String> refreshed = SimClient.anonymous(withRefresh).postForm("/oauth_token.do",
                    "grant_type=refresh_token&client_id=cid&client_secret=cs&refresh_token="
                            + first.get("refresh_token").asText());

            assertThat(revoked.get("/api/now/table/incident").statusCode()).isEqualTo(401);
            assertThat(refreshed.statusCode()).isEqualTo(200);
            assertThat(withRefresh.issuedTokens()).contains(first.get("access_token").asText(),
                    json(refreshed).get("access_token").asText());
        } finally {
            withRefresh.close();
        }
    }

    private HttpResponse<String> exchange(String assertion) {
        return SimClient.anonymous(sim).postForm("/oauth_token.do", "grant_type=" + GRANT
                + "&client_id=jwt-app&client_secret=app-secret&assertion=" + assertion);
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_grant");
    }

    private String sign(KeyPair signer, String clientId, String subject, String jti, long seconds) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).audience(clientId).subject(subject)
                .jwtID(jti).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(seconds))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner(signer.getPrivate()));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
