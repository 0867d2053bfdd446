package io.snkb.bridge.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.testkit.ManualClock;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JwtAssertionTest {
    private static final KeyPair KEYS = OAuthTestSupport.rsaKeys();
    private final ManualClock clock = ManualClock.at("2026-03-05T07:00:00Z");

    @Test
    void assertionIsSignedAndCarriesClientUserAudienceKeyIdAndLifetime() throws Exception {
        AuthConfig.Jwt settings = new AuthConfig.Jwt(Secret.of(OAuthTestSupport.pem(KEYS)), "kid-7", null,
                Duration.ofSeconds(90));
        JwtAssertion assertion = new JwtAssertion("dev", "client-1", "snkb.integration", settings, clock);

        SignedJWT first = SignedJWT.parse(assertion.sign());
        SignedJWT second = SignedJWT.parse(assertion.sign());
        JWTClaimsSet claims = first.getJWTClaimsSet();

        assertThat(first.verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic()))).isTrue();
        assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(first.getHeader().getKeyID()).isEqualTo("kid-7");
        assertThat(claims.getIssuer()).isEqualTo("client-1");
        assertThat(claims.getSubject()).isEqualTo("snkb.integration");
        assertThat(claims.getAudience()).containsExactly("client-1");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(Instant.parse("2026-03-05T07:00:00Z"));
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(Instant.parse("2026-03-05T07:01:30Z"));
        assertThat(claims.getJWTID()).isNotEqualTo(second.getJWTClaimsSet().getJWTID());
    }

    @Test
    void configuredAudienceReplacesTheClientId() throws Exception {
        AuthConfig.Jwt settings = new AuthConfig.Jwt(Secret.of(OAuthTestSupport.pem(OAuthTestSupport.ecKeys())),
                null, "https://acme.service-now.com/oauth_token.do", Duration.ofMinutes(1));
        SignedJWT jwt = SignedJWT.parse(new JwtAssertion("dev", "client-1", "u", settings, clock).sign());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isNull();
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://acme.service-now.com/oauth_token.do");
    }

    @Test
    void brokenKeyIsReportedWithoutItsText() {
        String broken = "-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBC\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> JwtAssertion.parse("dev", Secret.of(broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dev'").hasMessageContaining("neither an RSA nor an EC key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TUlJRXZRSUJBREFOQmdrcWhraUc5dzBC"));
    }
}
