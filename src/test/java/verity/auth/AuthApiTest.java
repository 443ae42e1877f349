package verity.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

@ParameterizedClass
@EnumSource(Db.class)
class AuthApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    static String email() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8) + "@Verity.Test";
    }

    @Test
    void signup_returns_the_seed_shape_and_open_webui_flat_fields() {
        String email = email();
        Api.Res r = api.post("/api/auths/signup", null, Map.of("name", "Ann", "email", email, "password", "pw-123"))
                .expect(200);
        assertEquals(email.toLowerCase(), r.json().get("email").asString());
        assertEquals("pending", r.json().get("role").asString(), "later accounts get DEFAULT_USER_ROLE");
        assertEquals("Bearer", r.json().get("token_type").asString());
        assertTrue(r.json().get("expires_at").asLong() > System.currentTimeMillis() / 1000);
        assertEquals("/user.png", r.json().get("profile_image_url").asString());
        assertTrue(r.json().get("permissions").isObject());
        assertEquals(r.json().get("token").asString().length() > 20, true);
        assertEquals(r.json().get("id").asString(), r.json().get("user").get("id").asString());
        assertEquals("Ann", r.json().get("user").get("name").asString());
        assertTrue(r.json().get("user").has("created_at"));
        assertFalse(r.body().contains("password"), "no password material in the response");
        String cookie = r.header("Set-Cookie");
        assertTrue(cookie.startsWith("token=" + r.json().get("token").asString()), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
    }

    @Test
    void signin_is_case_insensitive_on_email_and_answers_on_both_paths() {
        String email = email();
        api.post("/api/v1/auths/signup", null, Map.of("name", "Bo", "email", email, "password", "pw-123")).expect(200);
        Api.Res r = api.post("/api/v1/auths/signin/", null, Map.of("email", email.toUpperCase(), "password", "pw-123")).expect(200);
        assertEquals(email.toLowerCase(), r.json().get("user").get("email").asString());
        api.get("/api/auths/", r.json().get("token").asString()).expect(200);
    }

    @Test
    void wrong_password_and_unknown_email_are_the_same_400() {
        String email = email();
        api.post("/api/auths/signup", null, Map.of("name", "C", "email", email, "password", "right")).expect(200);
        Api.Res wrong = api.post("/api/auths/signin", null, Map.of("email", email, "password", "wrong")).expectError(400);
        Api.Res unknown = api.post("/api/auths/signin", null, Map.of("email", email(), "password", "x")).expectError(400);
        assertEquals(wrong.json().get("detail"), unknown.json().get("detail"));
    }

    @Test
    void fifteen_failed_signins_lock_the_email_with_429() {
        String email = email();
        api.post("/api/auths/signup", null, Map.of("name", "D", "email", email, "password", "right")).expect(200);
        for (int i = 0; i < 15; i++) {
            api.post("/api/auths/signin", null, Map.of("email", email, "password", "wrong-" + i)).expectError(400);
        }
        Api.Res locked = api.post("/api/auths/signin", null, Map.of("email", email, "password", "right")).expectError(429);
        assertNotNull(locked.header("Retry-After"));
        api.post("/api/auths/signin", null, Map.of("email", email(), "password", "x")).expectError(400);
    }

    @Test
    void signup_rejects_bad_input_with_clear_errors() {
        api.post("/api/auths/signup", null, Map.of("name", "E", "email", "not-an-email", "password", "x")).expectError(400);
        String email = email();
        api.post("/api/auths/signup", null, Map.of("name", "E", "email", email, "password", "x")).expect(200);
        Api.Res dup = api.post("/api/auths/signup", null, Map.of("name", "E", "email", email.toUpperCase(), "password", "x"))
                .expectError(400);
        assertTrue(dup.json().get("detail").asString().contains("already registered"));
        Api.Res tooLong = api.post("/api/auths/signup", null, Map.of("name", "E", "email", email(), "password", "é".repeat(37)))
                .expectError(400);
        assertTrue(tooLong.json().get("detail").asString().contains("72 bytes"));
        Api.Res missing = api.post("/api/auths/signup", null, Map.of("name", "E")).expectError(422);
        assertEquals(2, missing.json().get("detail").size());
        assertEquals("email", missing.json().get("detail").get(0).get("loc").get(1).asString());
        api.post("/api/auths/signup", null, Map.of("name", 5, "email", email(), "password", "x")).expectError(422);
        api.postRaw("/api/auths/signup", null, "{\"name\": ").expectError(400);
        api.postRaw("/api/auths/signup", null, "[1,2]").expectError(422);
        api.postRaw("/api/auths/signup", null, "").expectError(422);
    }

    @Test
    void the_token_cookie_authenticates_like_the_header() {
        Api.Account user = server.newUser("user");
        Api.Res r = api.send("GET", "/api/auths/", Map.of("Cookie", "token=" + user.token()), null).expect(200);
        assertEquals(user.id(), r.json().get("id").asString());
    }

    @Test
    void current_user_needs_valid_credentials() {
        api.get("/api/auths/", null).expectError(401);
        Api.Res bad = api.get("/api/auths/", "not-a-jwt").expectError(401);
        assertEquals("Bearer", bad.header("WWW-Authenticate"));
        Api.Account pending = server.newUser("pending");
        Api.Res r = api.get("/api/auths/", pending.token()).expect(200);
        assertEquals("pending", r.json().get("role").asString());
        assertEquals(pending.token(), r.json().get("token").asString());
    }

    @Test
    void signout_revokes_the_token_even_across_a_restart() {
        Api.Account user = server.newUser("user");
        Api.Account other = api.signin(user.email(), "password-1");
        api.post("/api/auths/signout", user.token(), null).expect(200);
        Api.Res after = api.get("/api/auths/", user.token()).expectError(401);
        assertTrue(after.json().get("detail").asString().contains("expired or the token is invalid"));
        api.get("/api/auths/", other.token()).expect(200);
        api.get("/api/auths/signout", other.token()).expect(200);
        api.get("/api/auths/", other.token()).expectError(401);
        api.post("/api/auths/signout", null, null).expect(200);
    }

    @Test
    void profile_and_password_updates() {
        Api.Account user = server.newUser("user");
        Api.Res p = api.post("/api/auths/update/profile", user.token(), Map.of("name", "New Name", "profile_image_url", "/x.png"))
                .expect(200);
        assertEquals("New Name", p.json().get("name").asString());
        assertEquals("/x.png", api.get("/api/auths/", user.token()).json().get("profile_image_url").asString());
        api.post("/api/auths/update/password", user.token(), Map.of("password", "wrong", "new_password", "n")).expectError(400);
        api.post("/api/auths/update/password", user.token(), Map.of("password", "password-1")).expectError(422);
        api.post("/api/auths/update/password", user.token(), Map.of("password", "password-1", "new_password", "x".repeat(73)))
                .expectError(400);
        api.post("/api/auths/update/password", user.token(), Map.of("password", "password-1", "new_password", "secret-2"))
                .expect(200);
        api.signin(user.email(), "secret-2");
        api.post("/api/auths/update/profile", null, Map.of("name", "x")).expectError(401);
        Api.Account pending = server.newUser("pending");
        api.post("/api/auths/update/profile", pending.token(), Map.of("name", "x")).expectError(403);
    }

    @Test
    void admin_add_creates_accounts_and_is_admin_only() {
        Api.Account admin = server.admin();
        String email = email();
        Api.Res r = api.post("/api/v1/auths/add", admin.token(), Map.of("name", "F", "email", email, "password", "pw"))
                .expect(200);
        assertEquals("pending", r.json().get("role").asString());
        assertTrue(r.json().get("expires_at").isNull(), "tokens made by add never expire");
        api.post("/api/auths/add", admin.token(), Map.of("name", "F", "email", email(), "password", "pw", "role", "boss"))
                .expectError(422);
        Api.Account user = server.newUser("user");
        api.post("/api/auths/add", user.token(), Map.of("name", "G", "email", email(), "password", "pw")).expectError(403);
        api.post("/api/auths/add", null, Map.of("name", "G", "email", email(), "password", "pw")).expectError(401);
    }
}
