package verity.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

@ParameterizedClass
@EnumSource(Db.class)
class ApiKeyApiTest {
    static final String KEY_SHAPE = "sk-[0-9a-f]{32}";

    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    /** Creates a named key with the seed route and returns the whole answer. */
    JsonNode createKey(Api.Account owner, String name) {
        return api.post("/api/users/api_key", owner.token(), Map.of("name", name)).expect(200).json();
    }

    static String randomKey() {
        return "sk-" + UUID.randomUUID().toString().replace("-", "");
    }

    static List<String> names(Api.Res list) {
        return list.json().valueStream().map(k -> k.get("name").asString()).sorted().toList();
    }

    Api.Res withApiKeyHeader(String path, String key) {
        return api.send("GET", path, Map.of("x-api-key", key), null);
    }

    @Test
    void a_created_key_is_shown_once_and_authenticates_as_its_owner() {
        Api.Account user = server.newUser("user");
        JsonNode created = createKey(user, "ci");
        String key = created.get("api_key").asString();
        assertTrue(key.matches(KEY_SHAPE), key);
        assertEquals("ci", created.get("name").asString());
        assertEquals(key.substring(0, 7), created.get("prefix").asString());
        assertTrue(created.get("created_at").asLong() > 1_600_000_000L);
        assertFalse(created.get("id").asString().isEmpty());
        Api.Res me = api.get("/api/auths/", key).expect(200);
        assertEquals(user.id(), me.json().get("id").asString());
        assertTrue(me.json().get("token").isNull(), "an API key is not echoed back as a session token");
        assertEquals(user.id(), withApiKeyHeader("/api/v1/auths/", key).expect(200).json().get("id").asString());
        api.get("/api/users/" + user.id(), key).expect(200);
        api.get("/api/users", key).expectError(403);
    }

    @Test
    void an_admins_key_reaches_admin_routes_until_the_owner_is_demoted() {
        Api.Account second = server.newUser("admin");
        String key = createKey(second, "ops").get("api_key").asString();
        api.get("/api/users", key).expect(200);
        withApiKeyHeader("/api/v1/users/", key).expect(200);
        api.post("/api/users/" + second.id() + "/role", server.admin().token(), Map.of("role", "user")).expect(200);
        api.get("/api/users", key).expectError(403);
        api.get("/api/auths/", key).expect(200);
    }

    @Test
    void the_list_shows_every_key_but_never_the_key_itself() throws InterruptedException {
        Api.Account user = server.newUser("user");
        String first = createKey(user, "laptop").get("api_key").asString();
        String second = createKey(user, "server").get("api_key").asString();
        JsonNode unnamed = api.post("/api/v1/users/api_key/", user.token(), null).expect(200).json();
        assertEquals("API key", unnamed.get("name").asString());
        assertEquals("API key", api.post("/api/users/api_key", user.token(), Map.of("name", "  ")).expect(200).json().get("name").asString());
        assertNotEquals(first, second);
        api.get("/api/auths/", first).expect(200);
        api.get("/api/auths/", second).expect(200);
        Api.Res listed = api.get("/api/users/api_keys", user.token()).expect(200);
        assertEquals(List.of("API key", "API key", "laptop", "server"), names(listed), "keys made in one second have no set order");
        for (String key : List.of(first, second, unnamed.get("api_key").asString())) {
            assertFalse(listed.body().contains(key), "the full key is never listed");
            assertFalse(listed.body().contains(key.substring(7)), "no part of the secret beyond the prefix");
        }
        assertFalse(listed.body().contains("hash"), listed.body());
        JsonNode laptop = listed.json().valueStream().filter(k -> k.get("name").asString().equals("laptop")).findFirst().orElseThrow();
        assertEquals(first.substring(0, 7), laptop.get("prefix").asString());
        assertTrue(laptop.has("id") && laptop.has("created_at") && laptop.has("last_used_at"), laptop::toString);
        JsonNode used = laptop;
        for (int i = 0; i < 50 && used.get("last_used_at").isNull(); i++) {
            Thread.sleep(50);
            used = api.get("/api/v1/users/api_keys/", user.token()).expect(200).json().valueStream()
                    .filter(k -> k.get("id").equals(laptop.get("id"))).findFirst().orElseThrow();
        }
        assertTrue(used.get("last_used_at").asLong() >= laptop.get("created_at").asLong(), "last_used_at is recorded after use");
        assertEquals(0, api.get("/api/users/api_keys", server.newUser("user").token()).expect(200).json().size());
    }

    @Test
    void revoking_a_key_stops_it_at_once_and_only_for_its_owner() {
        Api.Account user = server.newUser("user");
        JsonNode doomed = createKey(user, "doomed");
        String kept = createKey(user, "kept").get("api_key").asString();
        String key = doomed.get("api_key").asString();
        String id = doomed.get("id").asString();
        api.get("/api/auths/", key).expect(200);
        Api.Account other = server.newUser("user");
        api.delete("/api/users/api_keys/" + id, other.token()).expectError(404);
        api.delete("/api/users/api_keys/" + id, server.admin().token()).expectError(404);
        api.get("/api/auths/", key).expect(200);
        assertTrue(api.delete("/api/v1/users/api_keys/" + id, user.token()).expect(200).json().asBoolean());
        Api.Res gone = api.get("/api/auths/", key).expectError(401);
        assertEquals("Bearer", gone.header("WWW-Authenticate"));
        withApiKeyHeader("/api/auths/", key).expectError(401);
        api.get("/api/auths/", kept).expect(200);
        api.delete("/api/users/api_keys/" + id, user.token()).expectError(404);
        api.delete("/api/users/api_keys/" + UUID.randomUUID(), user.token()).expectError(404);
        assertEquals(1, api.get("/api/users/api_keys", user.token()).json().size());
    }

    @Test
    void unknown_and_malformed_keys_are_401() {
        api.get("/api/auths/", randomKey()).expectError(401);
        api.get("/api/auths/", "sk-xyz").expectError(401);
        api.get("/api/auths/", "sk-").expectError(401);
        withApiKeyHeader("/api/auths/", randomKey()).expectError(401);
        withApiKeyHeader("/api/auths/", "sk-xyz").expectError(401);
    }

    @Test
    void the_open_webui_form_manages_one_default_key() {
        Api.Account user = server.newUser("user");
        String named = createKey(user, "named").get("api_key").asString();
        api.get("/api/v1/auths/api_key", user.token()).expectError(404);
        api.delete("/api/v1/auths/api_key", user.token()).expectError(404);
        String old = api.post("/api/v1/auths/api_key", user.token(), null).expect(200).json().get("api_key").asString();
        assertTrue(old.matches(KEY_SHAPE), old);
        Api.Res shown = api.get("/api/v1/auths/api_key/", user.token()).expect(200);
        assertEquals(old.substring(0, 7), shown.json().get("prefix").asString());
        assertTrue(shown.json().get("api_key").asString().startsWith(old.substring(0, 7)));
        assertFalse(shown.body().contains(old));
        api.get("/api/auths/", old).expect(200);
        String replaced = api.post("/api/auths/api_key", user.token(), null).expect(200).json().get("api_key").asString();
        assertNotEquals(old, replaced);
        api.get("/api/auths/", old).expectError(401);
        api.get("/api/auths/", replaced).expect(200);
        api.get("/api/auths/", named).expect(200);
        assertEquals(replaced.substring(0, 7), api.get("/api/auths/api_key", user.token()).json().get("prefix").asString());
        assertEquals(List.of("default", "named"), names(api.get("/api/users/api_keys", user.token())));
        assertTrue(api.delete("/api/v1/auths/api_key", user.token()).expect(200).json().asBoolean());
        api.get("/api/auths/", replaced).expectError(401);
        api.get("/api/v1/auths/api_key", user.token()).expectError(404);
        api.delete("/api/v1/auths/api_key", user.token()).expectError(404);
        api.get("/api/auths/", named).expect(200);
    }

    @Test
    void only_a_hash_of_the_key_is_stored() throws Exception {
        Assumptions.assumeTrue(db == Db.SQLITE, "reads the SQLite file directly");
        Api.Account user = server.newUser("user");
        String key = createKey(user, "hashed").get("api_key").asString();
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        boolean found = false;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir.resolve("webui.db"));
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                    String value = rs.getString(col);
                    assertFalse(value != null && value.contains(key.substring(7)), "a column holds the key: " + value);
                }
                found |= expectedHash.equals(rs.getString("key_hash"));
            }
        }
        assertTrue(found, "the row stores the key's SHA-256");
    }

    @Test
    void key_routes_need_an_active_account_and_a_valid_body() {
        Api.Account pending = server.newUser("pending");
        api.post("/api/users/api_key", pending.token(), Map.of("name", "x")).expectError(403);
        api.get("/api/users/api_keys", pending.token()).expectError(403);
        api.delete("/api/users/api_keys/" + UUID.randomUUID(), pending.token()).expectError(403);
        api.post("/api/v1/auths/api_key", pending.token(), null).expectError(403);
        api.get("/api/v1/auths/api_key", pending.token()).expectError(403);
        api.delete("/api/v1/auths/api_key", pending.token()).expectError(403);
        api.post("/api/users/api_key", null, Map.of("name", "x")).expectError(401);
        api.get("/api/users/api_keys", null).expectError(401);
        api.delete("/api/users/api_keys/" + UUID.randomUUID(), null).expectError(401);
        api.post("/api/v1/auths/api_key", null, null).expectError(401);
        api.get("/api/v1/auths/api_key", null).expectError(401);
        api.delete("/api/v1/auths/api_key", null).expectError(401);
        Api.Account user = server.newUser("user");
        api.postRaw("/api/users/api_key", user.token(), "{\"name\": ").expectError(400);
        Api.Res badType = api.post("/api/users/api_key", user.token(), Map.of("name", 7)).expectError(422);
        assertEquals("name", badType.json().get("detail").get(0).get("loc").get(1).asString());
        api.post("/api/users/api_key", user.token(), Map.of("name", List.of("a"))).expectError(422);
        api.postRaw("/api/users/api_key", user.token(), "[]").expectError(422);
        api.post("/api/users/api_key", user.token(), Map.of("name", "n".repeat(256))).expectError(422);
        assertEquals(0, api.get("/api/users/api_keys", user.token()).json().size());
    }

    @Test
    void keys_are_refused_when_the_environment_disables_them() {
        try (TestServer off = TestServer.fresh(db, Map.of("WEBUI_ADMIN_EMAIL", "root@verity.test",
                "WEBUI_ADMIN_PASSWORD", "root-pw", "ENABLE_API_KEYS", "false"))) {
            Api.Account root = off.api.signin("root@verity.test", "root-pw");
            Api.Res refused = off.api.post("/api/users/api_key", root.token(), Map.of("name", "x")).expectError(403);
            assertTrue(refused.json().get("detail").asString().contains("API key"), refused.body());
            off.api.post("/api/v1/auths/api_key", root.token(), null).expectError(403);
            assertEquals(0, off.api.get("/api/users/api_keys", root.token()).expect(200).json().size());
            Api.Res use = off.api.get("/api/auths/", randomKey()).expectError(403);
            assertTrue(use.json().get("detail").asString().contains("not enabled"), use.body());
            off.api.send("GET", "/api/auths/", Map.of("x-api-key", randomKey()), null).expectError(403);
            off.api.get("/api/auths/", root.token()).expect(200);
        }
    }
}
