package verity.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.App;
import verity.support.Api;
import verity.support.Db;
import verity.support.PyJwt;
import verity.support.TestServer;

@ParameterizedClass
@EnumSource(Db.class)
class SystemApiTest {
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
        return "s-" + UUID.randomUUID().toString().substring(0, 8) + "@verity.test";
    }

    static Api.Res signup(Api api, String email) {
        return api.post("/api/auths/signup", null, Map.of("name", "N", "email", email, "password", "pw-123"));
    }

    @Test
    void health_version_and_database_health_answer_without_credentials() {
        assertEquals(true, api.get("/health", null).expect(200).json().get("status").asBoolean());
        assertEquals("{\"status\":true}", api.get("/health", null).body());
        assertTrue(api.get("/health/db", null).expect(200).json().get("status").asBoolean());
        Api.Res version = api.get("/api/version", null).expect(200);
        assertEquals(App.VERSION, version.json().get("version").asString());
        assertFalse(version.json().get("version").asString().isBlank());
    }

    @Test
    void config_describes_the_server_and_hides_onboarding_once_someone_exists() {
        Api.Res r = api.get("/api/config", null).expect(200);
        assertEquals("Verity", r.json().get("name").asString());
        assertTrue(r.json().get("status").asBoolean());
        assertTrue(r.json().get("features").get("enable_signup").asBoolean());
        assertTrue(r.json().get("features").get("enable_api_keys").asBoolean());
        assertFalse(r.json().has("onboarding"), "the shared server has an admin");
        assertFalse(r.json().has("default_models"), "anonymous callers get the public part only");
        Api.Res signedIn = api.get("/api/config", server.admin().token()).expect(200);
        assertTrue(signedIn.json().has("default_models"));
        api.get("/api/config", "not-a-valid-token").expectError(401);
    }

    @Test
    void a_fresh_server_onboards_the_first_signup_as_admin_and_later_ones_as_pending() {
        try (TestServer fresh = TestServer.fresh(db)) {
            Api.Res before = fresh.api.get("/api/config", null).expect(200);
            assertTrue(before.json().get("onboarding").asBoolean());
            assertTrue(before.json().get("features").get("enable_signup").asBoolean());
            assertTrue(before.json().get("features").get("enable_api_keys").asBoolean());
            assertEquals("Verity", before.json().get("name").asString());

            assertEquals("admin", signup(fresh.api, email()).expect(200).json().get("role").asString());
            assertFalse(fresh.api.get("/api/config", null).expect(200).json().has("onboarding"));
            assertEquals("pending", signup(fresh.api, email()).expect(200).json().get("role").asString());
        }
    }

    @Test
    void default_user_role_and_disabled_signup_are_honoured() {
        try (TestServer fresh = TestServer.fresh(db, Map.of("DEFAULT_USER_ROLE", "user", "ENABLE_API_KEYS", "false"))) {
            assertEquals("admin", signup(fresh.api, email()).expect(200).json().get("role").asString());
            assertEquals("user", signup(fresh.api, email()).expect(200).json().get("role").asString());
            assertFalse(fresh.api.get("/api/config", null).json().get("features").get("enable_api_keys").asBoolean());
        }
        try (TestServer fresh = TestServer.fresh(db, Map.of("ENABLE_SIGNUP", "false"))) {
            assertFalse(fresh.api.get("/api/config", null).json().get("features").get("enable_signup").asBoolean());
            String first = email();
            assertEquals("admin", signup(fresh.api, first).expect(200).json().get("role").asString(),
                    "the very first account is always allowed");
            signup(fresh.api, email()).expectError(403);
            Api.Account admin = fresh.api.signin(first, "pw-123");
            fresh.api.post("/api/auths/add", admin.token(), Map.of("name", "A", "email", email(), "password", "pw"))
                    .expect(200);
        }
    }

    @Test
    void the_admin_from_the_environment_is_created_once() {
        Map<String, String> env = Map.of("WEBUI_ADMIN_EMAIL", "Boss@Verity.Test", "WEBUI_ADMIN_PASSWORD", "boss-pw",
                "WEBUI_ADMIN_NAME", "The Boss");
        try (TestServer fresh = TestServer.fresh(db, env)) {
            assertFalse(fresh.api.get("/api/config", null).json().has("onboarding"));
            Api.Account admin = fresh.api.signin("boss@verity.test", "boss-pw");
            assertEquals("admin", admin.role());
            assertEquals("The Boss", fresh.api.get("/api/auths/", admin.token()).expect(200).json().get("name").asString());
            fresh.restart();
            fresh.restart();
            Api.Account again = fresh.api.signin("boss@verity.test", "boss-pw");
            assertEquals(admin.id(), again.id());
            JsonNode users = fresh.api.get("/api/v1/users/", again.token()).expect(200).json();
            assertEquals(1, users.get("total").asInt(), users.toString());
            assertEquals("pending", signup(fresh.api, email()).expect(200).json().get("role").asString(),
                    "the seeded admin counts as the first account");
        }
    }

    @Test
    void openapi_lists_every_path_form() {
        Api.Res r = api.get("/openapi.json", null).expect(200);
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals("3.1.0", r.json().get("openapi").asString());
        JsonNode paths = r.json().get("paths");
        for (String p : new String[] {"/api/auths/signin", "/api/v1/auths/signin", "/api/config", "/health"}) {
            assertTrue(paths.has(p), p);
        }
        assertTrue(paths.get("/api/auths/signin").has("post"));
        assertNotNull(r.json().get("info").get("version"));
    }

    @Test
    void swagger_and_redoc_pages_are_served_from_the_jar() {
        Api.Res docs = api.get("/docs", null).expect(200);
        assertTrue(docs.header("Content-Type").startsWith("text/html"), docs.header("Content-Type"));
        assertTrue(docs.body().contains("/docs/assets/swagger-ui-bundle.js") && docs.body().contains("/docs/assets/swagger-ui.css"));
        assertTrue(docs.body().contains("/openapi.json"));
        Api.Res redoc = api.get("/redoc", null).expect(200);
        assertTrue(redoc.header("Content-Type").startsWith("text/html"));
        assertTrue(redoc.body().contains("/docs/assets/redoc.standalone.js"));
        Map<String, String> assets = Map.of("swagger-ui-bundle.js", "javascript", "redoc.standalone.js", "javascript",
                "swagger-ui.css", "text/css");
        assets.forEach((file, type) -> {
            Api.Res a = api.get("/docs/assets/" + file, null).expect(200);
            assertTrue(a.header("Content-Type").contains(type), file + ": " + a.header("Content-Type"));
            assertTrue(a.body().length() > 10_000, file + " is only " + a.body().length() + " chars");
        });
    }

    @Test
    void docs_assets_serve_nothing_else() {
        for (String path : new String[] {"/docs/assets/unknown.js", "/docs/assets/../../etc/passwd",
                "/docs/assets/..%2F..%2Fetc%2Fpasswd", "/docs/assets/%2e%2e/%2e%2e/etc/passwd", "/docs/assets/",
                "/docs/assets/swagger-ui.css/x", "/docs/assets/index.html", "/docs/assets/..%2F..%2Fbuild.properties"}) {
            Api.Res r = api.get(path, null);
            assertTrue(r.status() == 404 || r.status() == 400, path + " -> " + r.status());
            assertFalse(r.body().contains("root:"), path);
            assertFalse(r.body().contains("version="), path);
        }
        api.get("/docs/assets/unknown.js", null).expectError(404);
        api.get("/docs/assets/../../etc/passwd", null).expectError(404);
    }

    @Test
    void without_a_secret_key_one_is_generated_saved_and_reused_across_restarts() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("WEBUI_SECRET_KEY", null);
        try (TestServer fresh = TestServer.fresh(db, env)) {
            assertFalse(fresh.env.containsKey("WEBUI_SECRET_KEY"), "TestServer drops null values");
            Path keyFile = fresh.dataDir.resolve(".webui_secret_key");
            assertTrue(Files.isRegularFile(keyFile));
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
            assertTrue(key.length() >= 32, key);
            String email = email();
            String token = signup(fresh.api, email).expect(200).json().get("token").asString();
            fresh.restart();
            assertEquals(key, Files.readString(keyFile, StandardCharsets.UTF_8).trim(), "the key is not regenerated");
            assertEquals(email, fresh.api.get("/api/auths/", token).expect(200).json().get("email").asString());
            // Tokens signed with the well-known test secret mean nothing to this server.
            String forged = PyJwt.encode(TestServer.SECRET, Map.of("id", UUID.randomUUID().toString(), "jti", "x"));
            fresh.api.get("/api/auths/", forged).expectError(401);
        }
    }

    @Test
    void a_pyjwt_token_signed_with_the_short_open_webui_secret_is_accepted() {
        Api.Account user = server.newUser("user");
        String token = PyJwt.encode(TestServer.SECRET, Map.of("id", user.id(), "jti", UUID.randomUUID().toString()));
        Api.Res r = api.get("/api/auths/", token).expect(200);
        assertEquals(user.id(), r.json().get("id").asString());
        api.post("/api/auths/update/profile", token, Map.of("name", "Via PyJWT")).expect(200);

        String withExp = PyJwt.encode(TestServer.SECRET, Map.of("id", user.id(), "jti", "j",
                "exp", System.currentTimeMillis() / 1000 + 3600));
        api.get("/api/v1/auths/", withExp).expect(200);
        // A valid signature for an account that does not exist here is still a 401.
        api.get("/api/auths/", PyJwt.encode(TestServer.SECRET, Map.of("id", UUID.randomUUID().toString(), "jti", "x")))
                .expectError(401);
        api.get("/api/auths/", PyJwt.encode("wrong-secret", Map.of("id", user.id(), "jti", "x"))).expectError(401);
    }

    @Test
    void an_expired_token_is_a_401() {
        Api.Account user = server.newUser("user");
        String expired = PyJwt.encode(TestServer.SECRET, Map.of("id", user.id(), "jti", "j",
                "exp", System.currentTimeMillis() / 1000 - 10));
        Api.Res r = api.get("/api/auths/", expired).expectError(401);
        assertEquals("Bearer", r.header("WWW-Authenticate"));
        api.send("GET", "/api/auths/", Map.of("Cookie", "token=" + expired), null).expectError(401);
        api.get("/api/config", expired).expectError(401);
    }
}
