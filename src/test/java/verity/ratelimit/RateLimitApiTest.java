package verity.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

@ParameterizedClass
@EnumSource(Db.class)
class RateLimitApiTest {
    @Parameter
    Db db;

    TestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    TestServer start(String perMinute) {
        server = TestServer.fresh(db, Map.of("RATE_LIMIT_PER_MINUTE", perMinute,
                "WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD));
        return server;
    }

    @Test
    void a_user_gets_five_requests_a_minute_then_a_429_with_retry_after() {
        Api api = start("5").api;
        Api.Account user = server.newUser("user");
        long before = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 5; i++) {
            Api.Res r = api.get("/api/auths/", user.token()).expect(200);
            assertEquals("5", r.header("X-RateLimit-Limit"));
            assertEquals(Integer.toString(4 - i), r.header("X-RateLimit-Remaining"), "request " + (i + 1));
            long reset = Long.parseLong(r.header("X-RateLimit-Reset"));
            assertTrue(reset >= before && reset <= before + 62, "reset " + reset + " vs now " + before);
        }
        Api.Res limited = api.get("/api/auths/", user.token()).expectError(429);
        assertTrue(limited.json().get("detail").asString().contains("Rate limit"), limited.body());
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1, limited.header("Retry-After"));
        assertTrue(Long.parseLong(limited.header("Retry-After")) <= 61, limited.header("Retry-After"));
        assertEquals("0", limited.header("X-RateLimit-Remaining"));
        assertEquals("5", limited.header("X-RateLimit-Limit"));
        // Every authenticated route spends the same budget, on either path form.
        api.get("/api/v1/auths/", user.token()).expectError(429);
        api.post("/api/auths/update/profile", user.token(), Map.of("name", "x")).expectError(429);

        // Public routes and anonymous callers are not limited per user.
        Api.Res health = api.get("/health", null).expect(200);
        assertNull(health.header("X-RateLimit-Limit"));
        api.get("/api/config", null).expect(200);
        // Sign-in stays open, but the new token belongs to the same exhausted user.
        Api.Account again = api.signin(user.email(), "password-1");
        api.get("/api/auths/", again.token()).expectError(429);
    }

    @Test
    void each_user_has_a_budget_of_their_own_and_admins_are_exempt() {
        Api api = start("5").api;
        Api.Account first = server.newUser("user");
        Api.Account second = server.newUser("pending");
        for (int i = 0; i < 5; i++) {
            api.get("/api/auths/", first.token()).expect(200);
        }
        api.get("/api/auths/", first.token()).expectError(429);

        Api.Res fresh = api.get("/api/auths/", second.token()).expect(200);
        assertEquals("4", fresh.header("X-RateLimit-Remaining"), "a pending account is limited, from a full budget");

        Api.Account admin = server.admin();
        for (int i = 0; i < 10; i++) {
            Api.Res r = api.get("/api/auths/", admin.token()).expect(200);
            assertNull(r.header("X-RateLimit-Limit"), "no rate-limit headers for an admin");
        }
        api.get("/api/v1/users/", admin.token()).expect(200);
    }

    @Test
    void a_zero_limit_turns_rate_limiting_off() {
        Api api = start("0").api;
        Api.Account user = server.newUser("user");
        for (int i = 0; i < 12; i++) {
            Api.Res r = api.get("/api/auths/", user.token()).expect(200);
            assertNull(r.header("X-RateLimit-Limit"));
            assertNull(r.header("X-RateLimit-Remaining"));
            assertNull(r.header("X-RateLimit-Reset"));
        }
    }

    @Test
    void rate_limit_headers_are_readable_cross_origin() {
        Api api = start("5").api;
        Api.Account user = server.newUser("user");
        Api.Res r = api.send("GET", "/api/auths/", Map.of("Authorization", "Bearer " + user.token(),
                "Origin", "http://example.com"), null).expect(200);
        String exposed = r.header("Access-Control-Expose-Headers").toLowerCase();
        for (String h : new String[] {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"}) {
            assertTrue(exposed.contains(h), exposed);
        }
    }
}
