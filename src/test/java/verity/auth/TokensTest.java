package verity.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.PyJwt;

class TokensTest {
    static final String SECRET = "t0p-s3cr3t";
    static final String USER_ID = "0b9c3a2e-4b1f-4c59-9a62-5f0d1f0e6a11";
    /** Made by PyJWT 2.6.0: jwt.encode({"id": USER_ID, "jti": "6c8f..."}, "t0p-s3cr3t", algorithm="HS256"). */
    static final String PYJWT_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjBiOWMzYTJlLTRiMWYtNGM1OS05YTYyLTVmMGQxZjBlNmExMSIsImp0aSI6IjZjOGYwYzFlLTJhNTUtNGI4ZS05ZDNmLTFmMmEzYjRjNWQ2ZSJ9.c2w_0zTs50XfFVve3lFfdCKvEYbKuD5A6qKv6YsftNw";
    /** The same, with "exp": 1000 (1970). */
    static final String PYJWT_EXPIRED = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjBiOWMzYTJlLTRiMWYtNGM1OS05YTYyLTVmMGQxZjBlNmExMSIsImp0aSI6IngiLCJleHAiOjEwMDB9.XTFZDe6idpNuNnnV0w_uMKPnKOD3KanA9PCnwSRSbWg";

    static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    static Tokens tokens(String secret, Optional<Duration> lifetime, Instant now) {
        return new Tokens(secret, lifetime, Clock.fixed(now, ZoneOffset.UTC));
    }

    static JsonNode payload(String token) {
        return Json.read(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void a_token_made_by_pyjwt_with_a_short_secret_is_accepted() {
        Tokens.Claims claims = new Tokens(SECRET, Optional.empty(), Clock.systemUTC()).verify(PYJWT_TOKEN).orElseThrow();
        assertEquals(USER_ID, claims.userId());
        assertEquals("6c8f0c1e-2a55-4b8e-9d3f-1f2a3b4c5d6e", claims.jti());
        assertNull(claims.expiresAt(), "no exp claim: never expires");
    }

    @Test
    void a_token_signed_like_pyjwt_in_the_test_is_accepted() {
        String token = PyJwt.encode(SECRET, Map.of("id", "u-1", "jti", "j-1", "exp", NOW.getEpochSecond() + 60));
        Tokens.Claims claims = tokens(SECRET, Optional.empty(), NOW).verify(token).orElseThrow();
        assertEquals(new Tokens.Claims("u-1", "j-1", NOW.getEpochSecond() + 60), claims);
    }

    @Test
    void an_expired_pyjwt_token_is_rejected() {
        assertTrue(new Tokens(SECRET, Optional.empty(), Clock.systemUTC()).verify(PYJWT_EXPIRED).isEmpty());
        String token = PyJwt.encode(SECRET, Map.of("id", "u-1", "jti", "j", "exp", NOW.getEpochSecond()));
        assertTrue(tokens(SECRET, Optional.empty(), NOW).verify(token).isEmpty(), "exp == now is already expired");
        assertTrue(tokens(SECRET, Optional.empty(), NOW.minusSeconds(1)).verify(token).isPresent());
    }

    @Test
    void a_tampered_payload_is_rejected() {
        String[] parts = PYJWT_TOKEN.split("\\.");
        String forged = parts[0] + "." + PyJwt.b64("{\"id\":\"someone-else\",\"jti\":\"x\"}") + "." + parts[2];
        Tokens tokens = new Tokens(SECRET, Optional.empty(), Clock.systemUTC());
        assertTrue(tokens.verify(forged).isEmpty());
        String flipped = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);
        assertTrue(tokens.verify(flipped).isEmpty());
        assertTrue(tokens.verify(parts[0] + "." + parts[1] + ".").isEmpty(), "missing signature");
    }

    @Test
    void a_token_signed_with_another_secret_is_rejected() {
        assertTrue(new Tokens("another-secret", Optional.empty(), Clock.systemUTC()).verify(PYJWT_TOKEN).isEmpty());
        String token = tokens("another-secret", Optional.empty(), NOW).issue("u-1").token();
        assertTrue(tokens(SECRET, Optional.empty(), NOW).verify(token).isEmpty());
    }

    @Test
    void alg_none_and_other_algorithms_are_rejected() {
        Tokens tokens = tokens(SECRET, Optional.empty(), NOW);
        String payload = PyJwt.b64("{\"id\":\"u-1\",\"jti\":\"x\"}");
        assertTrue(tokens.verify(PyJwt.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".").isEmpty());
        assertTrue(tokens.verify(PyJwt.b64("{\"alg\":\"none\"}") + "." + payload + ".").isEmpty());
        // An HMAC computed with the right secret but a header claiming another algorithm.
        assertTrue(tokens.verify(PyJwt.encode(SECRET, "{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"id\":\"u-1\"}")).isEmpty());
        assertTrue(tokens.verify(PyJwt.encode(SECRET, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"id\":\"u-1\"}")).isEmpty());
    }

    @Test
    void tokens_without_a_usable_id_or_garbage_are_rejected() {
        Tokens tokens = tokens(SECRET, Optional.empty(), NOW);
        assertTrue(tokens.verify(PyJwt.encode(SECRET, Map.of("jti", "x"))).isEmpty());
        assertTrue(tokens.verify(PyJwt.encode(SECRET, Map.of("id", 42))).isEmpty());
        assertTrue(tokens.verify(PyJwt.encode(SECRET, Map.of("id", ""))).isEmpty());
        assertTrue(tokens.verify(PyJwt.encode(SECRET, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "[1,2]")).isEmpty());
        assertTrue(tokens.verify(PyJwt.encode(SECRET, Map.of("id", "u", "exp", "soon"))).isEmpty());
        for (String junk : new String[] {"", "abc", "a.b", "a.b.c", "...", "sk-123", "Bearer x.y.z"}) {
            assertTrue(tokens.verify(junk).isEmpty(), junk);
        }
    }

    @Test
    void issue_then_verify_round_trips_id_jti_exp_and_iat() {
        Tokens tokens = tokens(SECRET, Optional.of(Duration.ofDays(28)), NOW);
        Tokens.Issued issued = tokens.issue("user-1");
        long exp = NOW.getEpochSecond() + Duration.ofDays(28).toSeconds();
        assertEquals(exp, issued.expiresAt());
        assertEquals(new Tokens.Claims("user-1", issued.jti(), exp), tokens.verify(issued.token()).orElseThrow());
        JsonNode header = Json.read(new String(Base64.getUrlDecoder().decode(issued.token().split("\\.")[0]), StandardCharsets.UTF_8));
        assertEquals("HS256", header.get("alg").asString());
        JsonNode p = payload(issued.token());
        assertEquals("user-1", p.get("id").asString());
        assertEquals(issued.jti(), p.get("jti").asString());
        assertEquals(exp, p.get("exp").asLong());
        assertEquals(NOW.getEpochSecond(), p.get("iat").asLong());
        assertNotEquals(issued.jti(), tokens.issue("user-1").jti(), "every token has its own jti");
        assertTrue(tokens(SECRET, Optional.empty(), NOW.plus(Duration.ofDays(28))).verify(issued.token()).isEmpty(),
                "expired once the lifetime has passed");
    }

    @Test
    void no_lifetime_means_no_exp_claim() {
        Tokens tokens = tokens(SECRET, Optional.empty(), NOW);
        Tokens.Issued issued = tokens.issue("user-2");
        assertNull(issued.expiresAt());
        assertFalse(payload(issued.token()).has("exp"));
        assertNull(tokens(SECRET, Optional.empty(), NOW.plus(Duration.ofDays(3650))).verify(issued.token())
                .orElseThrow().expiresAt());
        assertNull(tokens(SECRET, Optional.of(Duration.ofHours(1)), NOW).issue("u", Optional.empty()).expiresAt(),
                "an explicit empty ttl overrides the default lifetime");
    }

    @Test
    void a_sub_second_lifetime_still_gives_at_least_one_second() {
        Tokens.Issued issued = tokens(SECRET, Optional.of(Duration.ofMillis(500)), NOW).issue("u");
        assertEquals(NOW.getEpochSecond() + 1, issued.expiresAt());
    }
}
