package verity.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/** Session tokens: HS256 JWTs with Open WebUI's payload {id, exp?, jti, iat}. */
public final class Tokens {
    /** A verified token's claims; {@code expiresAt} is epoch seconds or null for a token that never expires. */
    public record Claims(String userId, String jti, Long expiresAt) {}

    /** A freshly issued token. */
    public record Issued(String token, String jti, Long expiresAt) {}

    private final HmacSha256 hmac;
    private final Optional<Duration> lifetime;
    private final Clock clock;

    public Tokens(String secret, Optional<Duration> lifetime, Clock clock) {
        this.hmac = new HmacSha256(secret.getBytes(StandardCharsets.UTF_8));
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Issued issue(String userId) {
        return issue(userId, lifetime);
    }

    public Issued issue(String userId, Optional<Duration> ttl) {
        long now = clock.instant().getEpochSecond();
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("id", userId)
                .jwtID(jti)
                .issueTime(new Date(now * 1000));
        Long expiresAt = ttl.map(d -> now + Math.max(1, d.toSeconds())).orElse(null);
        if (expiresAt != null) {
            claims.expirationTime(new Date(expiresAt * 1000));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(hmac);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(jwt.serialize(), jti, expiresAt);
    }

    /** The claims of a token with a valid signature, an {@code id} and no past expiry; empty otherwise. */
    public Optional<Claims> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.verify(hmac)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Object id = claims.getClaim("id");
            if (!(id instanceof String userId) || userId.isEmpty()) {
                return Optional.empty();
            }
            Date exp = claims.getExpirationTime();
            if (exp != null && !exp.toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(new Claims(userId, claims.getJWTID(), exp == null ? null : exp.getTime() / 1000));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
