package io.snkb.bridge.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs the assertions of the JWT bearer grant: issuer the client id, subject the integration user, audience
 * as configured (the client id by default), a fresh {@code jti} and a short expiry. RSA keys sign with RS256,
 * EC P-256 keys with ES256. Thread-safe; the key is parsed once and never shown.
 */
final class JwtAssertion {
    private final String instance;
    private final String clientId;
    private final String subject;
    private final AuthConfig.Jwt settings;
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final Clock clock;

    JwtAssertion(String instance, String clientId, String subject, AuthConfig.Jwt settings, Clock clock) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        PrivateKey key = parse(instance, settings.privateKey());
        try {
            if (key instanceof RSAPrivateKey rsa) {
                this.signer = new RSASSASigner(rsa);
                this.algorithm = JWSAlgorithm.RS256;
            } else {
                this.signer = new ECDSASigner((ECPrivateKey) key);
                this.algorithm = JWSAlgorithm.ES256;
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Instance '" + instance + "': the private key cannot sign JWTs: "
                    + e.getMessage(), e);
        }
    }

    /** A newly signed assertion, valid from now for the configured lifetime. */
    String sign() {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(subject)
                .audience(settings.audience() != null ? settings.audience() : clientId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(settings.lifetime())))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(settings.keyId()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Instance '" + instance + "': signing the JWT assertion failed: "
                    + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    String algorithm() {
        return algorithm.getName();
    }

    /** Reads a PKCS#8 PEM key, RSA or EC; the message of a failure never contains the key text. */
    static PrivateKey parse(String instance, Secret pem) {
        String base64 = pem.reveal()
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Instance '" + instance + "': the private key is not valid PEM "
                    + "(Base64 between the BEGIN and END PRIVATE KEY lines)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this kind of key: try the next.
            }
        }
        throw new IllegalArgumentException("Instance '" + instance + "': the private key is neither an RSA nor an "
                + "EC key in PKCS#8 form");
    }
}
