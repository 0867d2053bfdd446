package io.snkb.testkit.servicenow;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the assertion of a JWT bearer grant as an instance's JWT verifier map does: signature by the client's
 * public key (RSA or EC), issuer and audience equal to the client id, not expired on the simulator clock, and a
 * {@code jti} not seen before. Thread-safe.
 */
final class JwtVerifier {
    private final Clock clock;
    private final Set<String> seenIds = ConcurrentHashMap.newKeySet();

    JwtVerifier(Clock clock) {
        this.clock = clock;
    }

    /** The subject (user name) of a valid assertion, or empty. */
    Optional<String> subject(String assertion, String clientId, PublicKey key) {
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!jwt.verify(verifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            boolean valid = clientId.equals(claims.getIssuer()) && claims.getAudience().contains(clientId)
                    && expiry != null && Instant.now(clock).isBefore(expiry.toInstant())
                    && claims.getJWTID() != null && seenIds.add(claims.getJWTID());
            return valid ? Optional.ofNullable(claims.getSubject()) : Optional.empty();
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    private static JWSVerifier verifier(PublicKey key) throws JOSEException {
        return key instanceof RSAPublicKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECPublicKey) key);
    }

    /** Reads an X.509 {@code BEGIN PUBLIC KEY} PEM file holding an RSA or EC key. */
    static PublicKey readPem(Path file) throws IOException {
        String base64 = Files.readString(file).replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        X509EncodedKeySpec spec;
        try {
            spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a PEM public key: " + file, e);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // Not this kind of key: try the next.
            }
        }
        throw new IOException("neither an RSA nor an EC public key: " + file);
    }
}
