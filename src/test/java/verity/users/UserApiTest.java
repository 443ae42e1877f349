package verity.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

@ParameterizedClass
@EnumSource(Db.class)
class UserApiTest {
    static final List<String> PREFIXES = List.of("/api/users", "/api/v1/users");

    @Parameter
    Db db;

    TestServer server;
    Api api;
    Api.Account admin;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
        admin = server.admin();
    }

    /** A lower-case marker that isolates this test's accounts in the shared server's list. */
    static String tag() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String email() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8) + "@verity.test";
    }

    static String add(Api api, String adminToken, String name, String email, String role) {
        return api.post("/api/auths/add", adminToken, Map.of("name", name, "email", email, "password", "password-1", "role", role))
                .expect(200).json().get("id").asString();
    }

    String add(String name, String email, String role) {
        return add(api, admin.token(), name, email, role);
    }

    Api.Res list(String query) {
        return api.get("/api/users?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8), admin.token()).expect(200);
    }

    static List<String> ids(Api.Res r) {
        return r.json().get("users").valueStream().map(u -> u.get("id").asString()).toList();
    }

    @Test
    void list_pages_thirty_accounts_at_a_time_with_the_matching_total() {
        String tag = tag();
        List<String> byEmail = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            byEmail.add(add("Page " + i, String.format("%s-%02d@verity.test", tag, i), "user"));
        }
        Api.Res first = api.get("/api/users?query=" + tag + "&order_by=email&direction=asc", admin.token()).expect(200);
        assertEquals(31, first.json().get("total").asLong());
        assertEquals(byEmail.subList(0, 30), ids(first));
        JsonNode one = first.json().get("users").get(0);
        assertEquals(tag + "-00@verity.test", one.get("email").asString());
        assertEquals("Page 0", one.get("name").asString());
        assertEquals("user", one.get("role").asString());
        assertTrue(one.has("profile_image_url") && one.has("created_at") && one.has("last_active_at"));
        assertFalse(first.body().contains("password"), "no password material in the list");
        Api.Res second = api.get("/api/v1/users/?query=" + tag + "&order_by=email&direction=asc&page=2", admin.token()).expect(200);
        assertEquals(List.of(byEmail.get(30)), ids(second));
        assertEquals(31, second.json().get("total").asLong());
        Api.Res beyond = api.get("/api/users?query=" + tag + "&page=3", admin.token()).expect(200);
        assertEquals(List.of(), ids(beyond));
        assertEquals(31, beyond.json().get("total").asLong());
        Api.Res far = api.get("/api/users?query=" + tag + "&page=1000000", admin.token()).expect(200);
        assertEquals(List.of(), ids(far), "a huge page number is past the end, not page 1");
        api.get("/api/users?query=" + tag + "&page=100000000", admin.token()).expectError(422);
        Set<String> byDefaultOrder = new HashSet<>(ids(list(tag)));
        byDefaultOrder.addAll(ids(api.get("/api/users?page=2&query=" + tag, admin.token()).expect(200)));
        assertEquals(Set.copyOf(byEmail), byDefaultOrder, "the two default-order pages cover every match once");
    }

    @Test
    void total_counts_every_account_when_there_is_no_query() {
        try (TestServer fresh = TestServer.fresh(db, Map.of("WEBUI_ADMIN_EMAIL", "root@verity.test", "WEBUI_ADMIN_PASSWORD", "root-pw"))) {
            Api.Account root = fresh.api.signin("root@verity.test", "root-pw");
            for (int i = 0; i < 31; i++) {
                add(fresh.api, root.token(), "Member " + i, "member-" + i + "@verity.test", "user");
            }
            Api.Res first = fresh.api.get("/api/users", root.token()).expect(200);
            Api.Res second = fresh.api.get("/api/v1/users?page=2", root.token()).expect(200);
            assertEquals(32, first.json().get("total").asLong());
            assertEquals(32, second.json().get("total").asLong());
            assertEquals(30, ids(first).size());
            assertEquals(2, ids(second).size());
            Set<String> all = new HashSet<>(ids(first));
            all.addAll(ids(second));
            assertEquals(32, all.size());
            assertTrue(all.contains(root.id()));
        }
    }

    @Test
    void query_matches_name_or_email_case_insensitively() {
        String tag = tag();
        String byName = add("Alpha " + tag.toUpperCase() + " Person", email(), "user");
        String byEmail = add("Beta Person", "B-" + tag.toUpperCase() + "@Example-Domain.Test", "user");
        assertEquals(Set.of(byName, byEmail), Set.copyOf(ids(list(tag.toUpperCase()))));
        assertEquals(2, list("  " + tag + "  ").json().get("total").asLong(), "the query is trimmed");
        assertEquals(List.of(byName), ids(list("alpha " + tag)));
        assertEquals(List.of(byEmail), ids(list(tag + "@EXAMPLE-domain")));
        assertEquals(0, list(tag + "-nobody").json().get("total").asLong());
    }

    @Test
    void query_wildcards_and_backslashes_are_literal() {
        String tag = tag();
        String percent = add(tag + "%b", email(), "user");
        add(tag + "zzb", email(), "user");
        String underscore = add(tag + "_c", email(), "user");
        add(tag + "xc", email(), "user");
        String backslash = add(tag + "\\d", email(), "user");
        assertEquals(5, list(tag).json().get("total").asLong());
        assertEquals(List.of(percent), ids(list(tag + "%b")));
        assertEquals(List.of(percent), ids(list(tag + "%")));
        assertEquals(List.of(underscore), ids(list(tag + "_c")));
        assertEquals(List.of(underscore), ids(list(tag + "_")));
        assertEquals(List.of(backslash), ids(list(tag + "\\")));
    }

    @Test
    void order_by_sorts_by_each_allowed_column_in_both_directions() throws InterruptedException {
        String tag = tag();
        String b = add("b " + tag, tag + "-c@verity.test", "user");
        String a = add("A " + tag, tag + "-a@verity.test", "pending");
        Thread.sleep(1100);
        String c = add("c " + tag, tag + "-b@verity.test", "admin");
        Map<String, List<String>> ascending = Map.of("name", List.of(a, b, c), "email", List.of(a, c, b), "role", List.of(c, a, b));
        ascending.forEach((order, expected) -> {
            assertEquals(expected, ids(sorted("/api/users", tag, order, "asc")), order);
            assertEquals(expected.reversed(), ids(sorted("/api/v1/users/", tag, order.toUpperCase(), "DESC")), order);
        });
        for (String order : List.of("created_at", "updated_at", "last_active_at")) {
            Api.Res asc = sorted("/api/users", tag, order, "asc");
            Api.Res desc = sorted("/api/v1/users", tag, order, "desc");
            assertSorted(asc, order, Comparator.naturalOrder());
            assertSorted(desc, order, Comparator.reverseOrder());
            assertEquals(c, ids(asc).getLast(), order);
            assertEquals(c, ids(desc).getFirst(), order);
        }
        assertEquals(c, ids(list(tag)).getFirst(), "the default order is newest first");
        assertEquals(c, ids(api.get("/api/users?query=" + tag + "&direction=asc", admin.token()).expect(200)).getLast());
    }

    Api.Res sorted(String path, String query, String orderBy, String direction) {
        return api.get(path + "?query=" + query + "&order_by=" + orderBy + "&direction=" + direction, admin.token()).expect(200);
    }

    static void assertSorted(Api.Res r, String field, Comparator<Long> order) {
        List<Long> values = r.json().get("users").valueStream().map(u -> u.get(field).asLong()).toList();
        assertEquals(values.stream().sorted(order).toList(), values, field);
    }

    @Test
    void list_rejects_bad_query_parameters_with_422() {
        for (String bad : List.of("page=0", "page=-1", "page=abc", "order_by=password_hash", "order_by=name;drop", "direction=sideways")) {
            Api.Res r = api.get("/api/users?" + bad, admin.token()).expectError(422);
            String param = bad.substring(0, bad.indexOf('='));
            List<String> loc = r.json().get("detail").get(0).get("loc").valueStream().map(JsonNode::asString).toList();
            assertEquals(List.of("query", param), loc, bad);
        }
    }

    @Test
    void list_is_for_admins_only() {
        for (String prefix : PREFIXES) {
            api.get(prefix + "/", server.newUser("user").token()).expectError(403);
            api.get(prefix, server.newUser("pending").token()).expectError(403);
            api.get(prefix, null).expectError(401);
        }
    }

    @Test
    void get_shows_anyone_to_admins_and_only_themself_to_users() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        for (String prefix : PREFIXES) {
            Api.Res byAdmin = api.get(prefix + "/" + user.id(), admin.token()).expect(200);
            assertEquals(user.email(), byAdmin.json().get("email").asString());
            assertFalse(byAdmin.body().contains("password"));
            assertEquals(user.id(), api.get(prefix + "/" + user.id() + "/", user.token()).expect(200).json().get("id").asString());
            api.get(prefix + "/" + other.id(), user.token()).expectError(404);
            api.get(prefix + "/" + admin.id(), user.token()).expectError(404);
            api.get(prefix + "/" + UUID.randomUUID(), admin.token()).expectError(404);
            api.get(prefix + "/" + user.id(), null).expectError(401);
        }
        Api.Account pending = server.newUser("pending");
        api.get("/api/users/" + pending.id(), pending.token()).expectError(403);
    }

    @Test
    void admin_update_changes_every_field_and_normalises_the_email() {
        Api.Account user = server.newUser("user");
        String newEmail = "Renamed-" + UUID.randomUUID().toString().substring(0, 8) + "@Verity.TEST";
        Api.Res r = api.post("/api/v1/users/" + user.id() + "/update/", admin.token(), Map.of("name", "  Renamed  ",
                "email", "  " + newEmail + " ", "role", "admin", "password", "new-secret", "profile_image_url", "/r.png")).expect(200);
        assertEquals("Renamed", r.json().get("name").asString());
        assertEquals(newEmail.toLowerCase(), r.json().get("email").asString());
        assertEquals("admin", r.json().get("role").asString());
        assertEquals("/r.png", r.json().get("profile_image_url").asString());
        assertFalse(r.body().contains("new-secret"));
        Api.Res stored = api.get("/api/users/" + user.id(), admin.token()).expect(200);
        assertEquals(r.json(), stored.json());
        Api.Account again = api.signin(newEmail.toUpperCase(), "new-secret");
        assertEquals("admin", again.role());
        api.post("/api/auths/signin", null, Map.of("email", newEmail, "password", "password-1")).expectError(400);
        api.post("/api/auths/signin", null, Map.of("email", user.email(), "password", "new-secret")).expectError(400);
        api.post("/api/users/" + user.id() + "/update", admin.token(), Map.of("name", "Only Name", "password", "")).expect(200);
        api.signin(newEmail, "new-secret");
        assertEquals("/r.png", api.get("/api/users/" + user.id(), admin.token()).json().get("profile_image_url").asString());
    }

    @Test
    void update_rejects_bad_input() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        String path = "/api/users/" + user.id() + "/update";
        Api.Res dup = api.post(path, admin.token(), Map.of("email", other.email().toUpperCase())).expectError(400);
        assertTrue(dup.json().get("detail").asString().contains("already registered"));
        api.post(path, admin.token(), Map.of("email", user.email().toUpperCase())).expect(200);
        api.post(path, admin.token(), Map.of("email", "not-an-email")).expectError(400);
        api.post(path, admin.token(), Map.of("password", "x".repeat(73))).expectError(400);
        api.post(path, admin.token(), Map.of("role", "boss")).expectError(422);
        api.post(path, admin.token(), Map.of("name", "   ")).expectError(422);
        Api.Res types = api.post(path, admin.token(), Map.of("name", 5, "email", true, "password", List.of())).expectError(422);
        assertEquals(3, types.json().get("detail").size());
        api.postRaw(path, admin.token(), "{\"name\": ").expectError(400);
        api.postRaw(path, admin.token(), "[]").expectError(422);
        api.postRaw(path, admin.token(), "").expectError(422);
        api.post("/api/users/" + UUID.randomUUID() + "/update", admin.token(), Map.of("name", "x")).expectError(404);
        api.post(path, other.token(), Map.of("name", "x")).expectError(403);
        api.post(path, user.token(), Map.of("name", "x")).expectError(403);
        api.post(path, null, Map.of("name", "x")).expectError(401);
        assertEquals(user.email(), api.get("/api/users/" + user.id(), admin.token()).json().get("email").asString());
    }

    @Test
    void an_oversized_update_body_is_413() {
        try (TestServer fresh = TestServer.fresh(db, Map.of("WEBUI_ADMIN_EMAIL", "root@verity.test",
                "WEBUI_ADMIN_PASSWORD", "root-pw", "MAX_BODY_SIZE", "64k"))) {
            Api.Account root = fresh.api.signin("root@verity.test", "root-pw");
            String id = add(fresh.api, root.token(), "Big", "big@verity.test", "user");
            fresh.api.post("/api/users/" + id + "/update", root.token(), Map.of("profile_image_url", "x".repeat(100_000)))
                    .expectError(413);
            fresh.api.post("/api/users/" + id + "/update", root.token(), Map.of("profile_image_url", "y".repeat(60_000)))
                    .expect(200);
        }
    }

    @Test
    void a_role_change_takes_effect_on_the_next_request() {
        Api.Account pending = server.newUser("pending");
        String settings = "/api/users/user/settings";
        api.get(settings, pending.token()).expectError(403);
        api.post("/api/users/" + pending.id() + "/update", admin.token(), Map.of("role", "user")).expect(200);
        api.get(settings, pending.token()).expect(200);
        api.get("/api/users", pending.token()).expectError(403);
        api.post("/api/v1/users/" + pending.id() + "/role", admin.token(), Map.of("role", "admin")).expect(200);
        api.get("/api/users", pending.token()).expect(200);
        api.post("/api/users/" + pending.id() + "/role/", admin.token(), Map.of("role", "pending")).expect(200);
        api.get(settings, pending.token()).expectError(403);
        assertEquals("pending", api.get("/api/auths/", pending.token()).expect(200).json().get("role").asString());
    }

    @Test
    void the_seed_role_route_sets_only_the_role() {
        Api.Account user = server.newUser("user");
        for (String prefix : PREFIXES) {
            Api.Res r = api.post(prefix + "/" + user.id() + "/role", admin.token(), Map.of("role", "admin", "name", "ignored")).expect(200);
            assertEquals("admin", r.json().get("role").asString());
            assertEquals("Test user", r.json().get("name").asString());
            api.post(prefix + "/" + user.id() + "/role", admin.token(), Map.of("role", "user")).expect(200);
            Api.Res missing = api.post(prefix + "/" + user.id() + "/role", admin.token(), Map.of()).expectError(422);
            assertEquals("role", missing.json().get("detail").get(0).get("loc").get(1).asString());
            api.post(prefix + "/" + user.id() + "/role", admin.token(), Map.of("role", "root")).expectError(422);
            api.post(prefix + "/" + user.id() + "/role", admin.token(), Map.of("role", 1)).expectError(422);
            api.post(prefix + "/" + UUID.randomUUID() + "/role", admin.token(), Map.of("role", "user")).expectError(404);
            api.post(prefix + "/" + user.id() + "/role", user.token(), Map.of("role", "admin")).expectError(403);
        }
        assertEquals("user", api.get("/api/users/" + user.id(), admin.token()).json().get("role").asString());
    }

    @Test
    void the_primary_admin_is_protected() {
        Api.Account second = server.newUser("admin");
        String primary = admin.id();
        api.post("/api/users/" + primary + "/update", second.token(), Map.of("name", "Hijacked")).expectError(403);
        api.post("/api/users/" + primary + "/update", second.token(), Map.of("password", "stolen")).expectError(403);
        api.post("/api/v1/users/" + primary + "/role", second.token(), Map.of("role", "user")).expectError(403);
        api.delete("/api/users/" + primary, second.token()).expectError(403);
        api.post("/api/users/" + primary + "/role", admin.token(), Map.of("role", "user")).expectError(403);
        api.post("/api/users/" + primary + "/update", admin.token(), Map.of("role", "pending")).expectError(403);
        api.post("/api/users/" + primary + "/role", admin.token(), Map.of("role", "admin")).expect(200);
        api.delete("/api/users/" + primary, admin.token()).expectError(403);
        api.delete("/api/v1/users/" + second.id(), second.token()).expectError(403);
        Api.Res me = api.get("/api/users/" + primary, admin.token()).expect(200);
        assertEquals("admin", me.json().get("role").asString());
        assertEquals(TestServer.ADMIN_EMAIL, me.json().get("email").asString());
        assertTrue(me.json().get("primary").asBoolean());
        api.post("/api/users/" + second.id() + "/role", admin.token(), Map.of("role", "user")).expect(200);
    }

    @Test
    void delete_removes_the_account_and_everything_it_owns() {
        Api.Account user = server.newUser("user");
        String key = api.post("/api/users/api_key", user.token(), Map.of("name", "doomed")).expect(200).json().get("api_key").asString();
        api.get("/api/auths/", key).expect(200);
        api.delete("/api/users/" + user.id(), server.newUser("user").token()).expectError(403);
        api.delete("/api/users/" + user.id(), null).expectError(401);
        assertTrue(api.delete("/api/v1/users/" + user.id() + "/", admin.token()).expect(200).json().asBoolean());
        api.get("/api/auths/", user.token()).expectError(401);
        api.get("/api/auths/", key).expectError(401);
        api.get("/api/users/" + user.id(), admin.token()).expectError(404);
        api.delete("/api/users/" + user.id(), admin.token()).expectError(404);
        api.delete("/api/users/" + UUID.randomUUID(), admin.token()).expectError(404);
        api.post("/api/auths/signin", null, Map.of("email", user.email(), "password", "password-1")).expectError(400);
        assertEquals(0, list(user.email()).json().get("total").asLong());
    }

    @Test
    void settings_store_any_json_object_per_user() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        JsonNode initial = api.get("/api/v1/users/user/settings", user.token()).expect(200).json();
        assertTrue(initial.isObject() && initial.isEmpty(), initial::toString);
        Map<String, Object> settings = Map.of("ui", Map.of("theme", "dark", "models", List.of("a", "b"), "n", 1.5), "extra", true);
        Api.Res saved = api.post("/api/v1/users/user/settings/update", user.token(), settings).expect(200);
        assertEquals(Json.read(Json.write(settings)), saved.json());
        for (String prefix : PREFIXES) {
            assertEquals(saved.json(), api.get(prefix + "/user/settings/", user.token()).expect(200).json());
        }
        assertEquals(0, api.get("/api/users/user/settings", other.token()).expect(200).json().size());
        api.post("/api/users/user/settings/update", user.token(), Map.of("ui", Map.of())).expect(200);
        JsonNode replaced = api.get("/api/users/user/settings", user.token()).json();
        assertEquals(0, replaced.get("ui").size());
        assertFalse(replaced.has("extra"), "an update replaces the whole object");
    }

    @Test
    void settings_reject_non_objects_and_need_an_active_account() {
        Api.Account user = server.newUser("user");
        for (String bad : List.of("[1, 2]", "\"dark\"", "42", "")) {
            api.postRaw("/api/users/user/settings/update", user.token(), bad).expectError(422);
        }
        api.postRaw("/api/users/user/settings/update", user.token(), "{\"ui\": ").expectError(400);
        Api.Account pending = server.newUser("pending");
        api.get("/api/v1/users/user/settings", pending.token()).expectError(403);
        api.post("/api/v1/users/user/settings/update", pending.token(), Map.of("ui", Map.of())).expectError(403);
        api.get("/api/v1/users/user/settings", null).expectError(401);
        api.post("/api/v1/users/user/settings/update", null, Map.of("ui", Map.of())).expectError(401);
        assertEquals(0, api.get("/api/users/user/settings", user.token()).json().size());
    }
}
