package verity.chats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.chats.ChatFixtures.PREFIXES;
import static verity.chats.ChatFixtures.assertSameTree;
import static verity.chats.ChatFixtures.chat;
import static verity.chats.ChatFixtures.create;
import static verity.chats.ChatFixtures.createId;
import static verity.chats.ChatFixtures.ids;
import static verity.chats.ChatFixtures.nowSeconds;
import static verity.chats.ChatFixtures.update;
import static verity.chats.ChatFixtures.wrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Chats: create, read, update (including a 5 MB chat), list, delete, pin and archive. */
@ParameterizedClass
@EnumSource(Db.class)
class ChatApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    @Test
    void a_new_chat_comes_back_with_its_content_exactly_as_sent() {
        Api.Account user = server.newUser("user");
        String chat = "{\"title\":\"Résumé 📄 plan\",\"models\":[\"gpt-4o\"],"
                + "\"params\":{\"temperature\":0.7,\"max_tokens\":1024,\"price\":1.50,\"stop\":null,\"stream\":true},"
                + "\"big\":12345678901234567890,\"neg\":-3,"
                + "\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"Héllo \\\"wörld\\\"\\n日本語 \\u00e9 😀\","
                + "\"timestamp\":1700000000,\"files\":[]}],\"history\":{\"currentId\":\"m1\",\"messages\":{}}}";
        long before = nowSeconds();
        for (String prefix : PREFIXES) {
            for (String path : List.of(prefix + "/new", prefix + "/new/")) {
                Api.Res r = api.postRaw(path, user.token(), wrap(chat)).expect(200);
                JsonNode j = r.json();
                assertFalse(j.get("id").asString().isBlank());
                assertEquals(user.id(), j.get("user_id").asString());
                assertEquals("Résumé 📄 plan", j.get("title").asString());
                assertEquals(Json.read(chat), j.get("chat"));
                assertTrue(r.body().contains(chat), "the chat text is returned as stored, byte for byte: " + r.body());
                JsonNode params = j.get("chat").get("params");
                assertTrue(params.get("max_tokens").isIntegralNumber());
                assertEquals(1024, params.get("max_tokens").asInt());
                assertTrue(params.get("temperature").isFloatingPointNumber());
                assertEquals(0.7, params.get("temperature").asDouble());
                assertTrue(params.get("stop").isNull());
                assertTrue(params.get("stream").isBoolean());
                assertEquals("12345678901234567890", j.get("chat").get("big").bigIntegerValue().toString());
                assertEquals(-3, j.get("chat").get("neg").asInt());
                assertEquals("Héllo \"wörld\"\n日本語 é 😀", j.get("chat").get("messages").get(0).get("content").asString());
                assertTrue(j.get("created_at").isIntegralNumber());
                long created = j.get("created_at").asLong();
                assertTrue(created >= before - 1 && created <= nowSeconds() + 1, "epoch seconds: " + created);
                assertEquals(created, j.get("updated_at").asLong());
                assertFalse(j.get("pinned").asBoolean());
                assertFalse(j.get("archived").asBoolean());
                assertTrue(j.get("share_id").isNull());
                assertTrue(j.get("meta").get("tags").isArray());
                assertEquals(0, j.get("meta").get("tags").size());
                api.get(prefix + "/" + j.get("id").asString(), user.token()).expect(200);
            }
        }
    }

    @Test
    void the_title_is_new_chat_when_chat_title_is_missing_blank_or_not_a_string() {
        Api.Account user = server.newUser("user");
        for (String chat : List.of("{}", "{\"title\":\"\"}", "{\"title\":\"   \"}", "{\"title\":42}",
                "{\"title\":null}", "{\"title\":[\"x\"]}", "{\"title\":{\"a\":1}}")) {
            Api.Res r = create(api, user.token(), chat);
            assertEquals("New Chat", r.json().get("title").asString(), chat);
            assertEquals(Json.read(chat), r.json().get("chat"));
        }
    }

    @Test
    void creating_rejects_bad_input_with_clear_errors() {
        Api.Account user = server.newUser("user");
        Api.Res missing = api.postRaw("/api/chats/new", user.token(), "{\"folder_id\":null}").expectError(422);
        assertTrue(missing.json().get("detail").isArray());
        assertEquals("body", missing.json().get("detail").get(0).get("loc").get(0).asString());
        assertEquals("chat", missing.json().get("detail").get(0).get("loc").get(1).asString());
        api.postRaw("/api/chats/new", user.token(), "{}").expectError(422);
        api.postRaw("/api/chats/new", user.token(), "{\"chat\":null}").expectError(422);
        for (String notObject : List.of("[1,2]", "\"text\"", "5", "true")) {
            Api.Res r = api.postRaw("/api/v1/chats/new", user.token(), wrap(notObject)).expectError(422);
            assertTrue(r.json().get("detail").isArray(), notObject);
            assertEquals("chat", r.json().get("detail").get(0).get("loc").get(1).asString());
        }
        api.postRaw("/api/chats/new", user.token(), "{\"chat\": {\"title\": ").expectError(400);
        api.postRaw("/api/chats/new", user.token(), "{\"chat\": {}}}").expectError(400);
        api.postRaw("/api/chats/new", user.token(), "not json").expectError(400);
        api.postRaw("/api/chats/new", user.token(), "").expectError(422);
        api.postRaw("/api/chats/new", user.token(), "   ").expectError(422);
        api.postRaw("/api/chats/new", user.token(), "[{\"chat\":{}}]").expectError(422);
        Api.Res folder = api.postRaw("/api/chats/new", user.token(), "{\"chat\":{},\"folder_id\":\"" + "f".repeat(37) + "\"}")
                .expectError(422);
        assertEquals("folder_id", folder.json().get("detail").get(0).get("loc").get(1).asString());
        api.postRaw("/api/chats/new", null, wrap("{}")).expectError(401);
        api.postRaw("/api/chats/new", server.newUser("pending").token(), wrap("{}")).expectError(403);
        assertEquals(0, api.get("/api/chats/", user.token()).expect(200).json().size(), "nothing was created");
    }

    @Test
    void a_body_over_max_body_size_is_a_413() {
        try (TestServer fresh = TestServer.fresh(db, Map.of("MAX_BODY_SIZE", "64k",
                "WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD))) {
            Api.Account user = fresh.newUser("user");
            create(fresh.api, user.token(), chat("fits", "x".repeat(30_000)));
            fresh.api.postRaw("/api/chats/new", user.token(), wrap(chat("too big", "x".repeat(70_000)))).expectError(413);
            assertEquals(1, fresh.api.get("/api/chats/", user.token()).expect(200).json().size());
        }
    }

    @Test
    void a_chat_is_readable_by_its_owner_and_admins_only() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = createId(api, owner.token(), "Private", "secret");
        for (String prefix : PREFIXES) {
            assertEquals(id, api.get(prefix + "/" + id, owner.token()).expect(200).json().get("id").asString());
            assertEquals("Private", api.get(prefix + "/" + id + "/", owner.token()).expect(200).json().get("title").asString());
            Api.Res denied = api.get(prefix + "/" + id, other.token()).expectError(404);
            assertFalse(denied.body().contains("secret"));
            Api.Res byAdmin = api.get(prefix + "/" + id, server.admin().token()).expect(200);
            assertEquals(owner.id(), byAdmin.json().get("user_id").asString());
            api.get(prefix + "/no-such-chat", owner.token()).expectError(404);
            api.get(prefix + "/" + id, null).expectError(401);
            api.get(prefix + "/" + id, server.newUser("pending").token()).expectError(403);
        }
    }

    @Test
    void an_update_is_a_shallow_merge_and_the_title_follows_chat_title() {
        Api.Account user = server.newUser("user");
        String original = Json.write(Api.body("title", "First", "models", List.of("a"),
                "messages", List.of(Map.of("id", "m1", "content", "one"), Map.of("id", "m2", "content", "two")),
                "params", Map.of("x", 1, "keep", true)));
        Api.Res created = create(api, user.token(), original);
        String id = created.json().get("id").asString();
        long createdAt = created.json().get("created_at").asLong();

        String changes = "{\"messages\":[{\"id\":\"m3\",\"content\":\"three\"}],\"params\":{\"y\":2},\"extra\":\"new\"}";
        Api.Res r = update(api, user.token(), id, changes).expect(200);
        JsonNode chat = r.json().get("chat");
        assertEquals("First", r.json().get("title").asString());
        assertEquals("First", chat.get("title").asString(), "keys not sent are kept");
        assertEquals(Json.read("[\"a\"]"), chat.get("models"));
        assertEquals(Json.read("[{\"id\":\"m3\",\"content\":\"three\"}]"), chat.get("messages"), "sent keys replace wholesale");
        assertEquals(Json.read("{\"y\":2}"), chat.get("params"), "no deep merge");
        assertEquals("new", chat.get("extra").asString());
        assertEquals(createdAt, r.json().get("created_at").asLong());
        assertTrue(r.json().get("updated_at").asLong() >= createdAt);
        assertEquals(chat, api.get("/api/chats/" + id, user.token()).expect(200).json().get("chat"), "the merge was stored");

        for (String prefix : PREFIXES) {
            String title = "Renamed " + prefix;
            Api.Res renamed = api.postRaw(prefix + "/" + id + "/", user.token(), wrap(Json.write(Map.of("title", title))))
                    .expect(200);
            assertEquals(title, renamed.json().get("title").asString());
            assertEquals(title, renamed.json().get("chat").get("title").asString());
            assertEquals(Json.read("{\"y\":2}"), renamed.json().get("chat").get("params"));
        }
        assertEquals("Renamed /api/v1/chats", api.get("/api/chats/", user.token()).json().get(0).get("title").asString());
        Api.Res blank = update(api, user.token(), id, "{\"title\":\"  \"}").expect(200);
        assertEquals("New Chat", blank.json().get("title").asString());
        assertEquals("  ", blank.json().get("chat").get("title").asString());
    }

    @Test
    void updates_merge_pretty_printed_and_empty_chats_correctly() {
        Api.Account user = server.newUser("user");
        String pretty = "{\n  \"title\" : \"Pretty\" ,\n  \"list\" : [ 1 , 2 ,\n 3 ] ,\n  \"obj\" : { \"k\" : \"v, with comma\" }\n}\n";
        String id = create(api, user.token(), pretty).json().get("id").asString();
        Api.Res r = update(api, user.token(), id, "{ \"list\" : [ ] , \"more\" : \"x\" }").expect(200);
        assertEquals(Json.read("{\"title\":\"Pretty\",\"list\":[],\"obj\":{\"k\":\"v, with comma\"},\"more\":\"x\"}"),
                r.json().get("chat"));
        assertEquals(r.json().get("chat"), update(api, user.token(), id, "{}").expect(200).json().get("chat"), "{} changes nothing");

        String empty = create(api, user.token(), "{}").json().get("id").asString();
        Api.Res filled = update(api, user.token(), empty, "{\"title\":\"Filled\",\"n\":1}").expect(200);
        assertEquals(Json.read("{\"title\":\"Filled\",\"n\":1}"), filled.json().get("chat"));
        assertEquals("Filled", api.get("/api/chats/" + empty, user.token()).json().get("title").asString());
    }

    @Test
    void only_the_owner_may_update_and_bad_updates_change_nothing() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = createId(api, owner.token(), "Mine", "hello");
        JsonNode before = api.get("/api/chats/" + id, owner.token()).json().get("chat");
        update(api, other.token(), id, "{\"title\":\"Hijacked\"}").expectError(404);
        update(api, server.admin().token(), id, "{\"title\":\"By admin\"}").expectError(404);
        update(api, owner.token(), "no-such-chat", "{\"title\":\"x\"}").expectError(404);
        api.postRaw("/api/chats/" + id, owner.token(), "{\"chat\": {\"title\": ").expectError(400);
        api.postRaw("/api/chats/" + id, owner.token(), "{\"title\":\"x\"}").expectError(422);
        api.postRaw("/api/chats/" + id, owner.token(), "").expectError(422);
        api.postRaw("/api/v1/chats/" + id, owner.token(), wrap("[]")).expectError(422);
        update(api, null, id, "{\"title\":\"x\"}").expectError(401);
        Api.Res after = api.get("/api/chats/" + id, owner.token()).expect(200);
        assertEquals("Mine", after.json().get("title").asString());
        assertEquals(before, after.json().get("chat"));
    }

    @Test
    void a_large_chat_is_created_updated_and_read_back_unchanged() {
        Api.Account user = server.newUser("user");
        ObjectNode chat = Json.object().put("title", "Big one");
        chat.set("messages", messages(2000, "v1"));
        String text = Json.write(chat);
        assertTrue(text.length() > 4_500_000, "about 5 MB: " + text.length());
        Api.Res created = create(api, user.token(), text);
        String id = created.json().get("id").asString();
        assertSameTree(chat, created.json().get("chat"));
        assertSameTree(chat, api.get("/api/chats/" + id, user.token()).expect(200).json().get("chat"));

        ObjectNode changes = Json.object();
        changes.set("messages", messages(2000, "v2"));
        Api.Res updated = update(api, user.token(), id, Json.write(changes)).expect(200);
        chat.set("messages", changes.get("messages"));
        assertSameTree(chat, updated.json().get("chat"));
        update(api, user.token(), id, "{\"title\":\"Big renamed\"}").expect(200);
        chat.put("title", "Big renamed");
        Api.Res read = api.get("/api/v1/chats/" + id, user.token()).expect(200);
        assertSameTree(chat, read.json().get("chat"));
        assertEquals("Big renamed", read.json().get("title").asString());
    }

    private static ArrayNode messages(int count, String version) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        String filler = ("Lorem ipsum dolor sit amet, \"quoted\" é ✓ 😀\n\ttab \\ backslash. ").repeat(40);
        for (int i = 0; i < count; i++) {
            ObjectNode m = list.addObject();
            m.put("id", version + "-" + i).put("role", i % 2 == 0 ? "user" : "assistant")
                    .put("content", version + " message " + i + ": " + filler).put("timestamp", 1_700_000_000L + i)
                    .put("score", i / 7.0);
            m.putArray("childrenIds").add(version + "-" + (i + 1));
        }
        return list;
    }

    @Test
    void the_list_is_newest_first_paged_by_sixty_without_bodies_or_archived_chats() {
        Api.Account user = server.newUser("user");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            items.add(Api.body("chat", Map.of("title", "Chat " + i, "messages", List.of()), "created_at", 1000 + i,
                    "updated_at", 2000 + i));
        }
        assertEquals(65, api.post("/api/chats/import", user.token(), Map.of("chats", items)).expect(200).json().size());
        Api.Account other = server.newUser("user");
        String othersId = createId(api, other.token(), "Not yours", "x");

        JsonNode all = api.get("/api/chats/", user.token()).expect(200).json();
        assertEquals(65, all.size());
        assertEquals("Chat 64", all.get(0).get("title").asString());
        assertEquals("Chat 0", all.get(64).get("title").asString());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).get("updated_at").asLong() >= all.get(i).get("updated_at").asLong());
        }
        for (JsonNode item : all) {
            assertFalse(item.has("chat"), "no chat bodies in list items: " + item);
            assertEquals(user.id(), item.get("user_id").asString());
            for (String field : List.of("id", "title", "updated_at", "created_at", "pinned", "archived")) {
                assertTrue(item.has(field), field);
            }
        }
        assertFalse(ids(all).contains(othersId));

        for (String path : List.of("/api/chats", "/api/v1/chats/", "/api/v1/chats/list", "/api/v1/chats/list/")) {
            JsonNode page1 = api.get(path + "?page=1", user.token()).expect(200).json();
            JsonNode page2 = api.get(path + "?page=2", user.token()).expect(200).json();
            assertEquals(60, page1.size(), path);
            assertEquals(5, page2.size(), path);
            assertEquals("Chat 64", page1.get(0).get("title").asString());
            assertEquals("Chat 4", page2.get(0).get("title").asString());
            assertEquals(0, api.get(path + "?page=3", user.token()).expect(200).json().size());
            assertEquals(65, api.get(path, user.token()).expect(200).json().size());
            api.get(path + "?page=0", user.token()).expectError(422);
            api.get(path + "?page=abc", user.token()).expectError(422);
        }

        String archived = all.get(0).get("id").asString();
        api.post("/api/chats/" + archived + "/archive", user.token(), null).expect(200);
        JsonNode afterArchive = api.get("/api/chats/", user.token()).expect(200).json();
        assertEquals(64, afterArchive.size());
        assertFalse(ids(afterArchive).contains(archived));
        assertEquals(List.of(othersId), ids(api.get("/api/v1/chats/list", other.token()).expect(200).json()));
        api.get("/api/chats/", null).expectError(401);
        api.get("/api/v1/chats/list", server.newUser("pending").token()).expectError(403);
    }

    @Test
    void deleting_a_chat_is_owner_only_and_delete_all_leaves_other_users_alone() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        for (String prefix : PREFIXES) {
            String id = createId(api, user.token(), "Doomed", "x");
            api.delete(prefix + "/" + id, other.token()).expectError(404);
            api.get(prefix + "/" + id, user.token()).expect(200);
            Api.Res r = api.delete(prefix + "/" + id + "/", user.token()).expect(200);
            assertTrue(r.json().isBoolean() && r.json().asBoolean(), r.body());
            api.get(prefix + "/" + id, user.token()).expectError(404);
            api.delete(prefix + "/" + id, user.token()).expectError(404);
        }
        String othersId = createId(api, other.token(), "Survivor", "x");
        for (String prefix : PREFIXES) {
            createId(api, user.token(), "One", "x");
            createId(api, user.token(), "Two", "x");
            assertEquals(2, api.get("/api/chats/", user.token()).json().size());
            assertTrue(api.delete(prefix + "/", user.token()).expect(200).json().asBoolean());
            assertEquals(0, api.get("/api/chats/", user.token()).expect(200).json().size());
        }
        api.delete("/api/chats", user.token()).expect(200);
        api.get("/api/chats/" + othersId, other.token()).expect(200);
        assertEquals(List.of(othersId), ids(api.get("/api/chats/", other.token()).json()));
        api.delete("/api/chats/", null).expectError(401);
    }

    @Test
    void pin_and_archive_toggle_and_have_their_own_lists() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = createId(api, user.token(), "Flags", "x");
        String plain = createId(api, user.token(), "Plain", "x");
        for (String prefix : PREFIXES) {
            Api.Res pinned = api.post(prefix + "/" + id + "/pin", user.token(), null).expect(200);
            assertTrue(pinned.json().get("pinned").asBoolean());
            assertEquals(id, pinned.json().get("id").asString());
            assertTrue(api.get(prefix + "/" + id + "/pinned", user.token()).expect(200).json().asBoolean());
            assertFalse(api.get(prefix + "/" + plain + "/pinned/", user.token()).expect(200).json().asBoolean());
            assertEquals(List.of(id), ids(api.get(prefix + "/pinned", user.token()).expect(200).json()));
            assertTrue(api.get("/api/chats/" + id, user.token()).json().get("pinned").asBoolean());
            assertEquals(List.of(plain), ids(api.get("/api/chats/?include_pinned=false", user.token()).expect(200).json()));
            assertFalse(api.post(prefix + "/" + id + "/pin/", user.token(), null).expect(200).json().get("pinned").asBoolean());
            assertFalse(api.get(prefix + "/" + id + "/pinned", user.token()).json().asBoolean());
            assertEquals(0, api.get(prefix + "/pinned/", user.token()).expect(200).json().size());

            Api.Res archived = api.post(prefix + "/" + id + "/archive", user.token(), null).expect(200);
            assertTrue(archived.json().get("archived").asBoolean());
            assertEquals(List.of(plain), ids(api.get(prefix + "/", user.token()).json()), "archived chats leave the main list");
            assertEquals(List.of(id), ids(api.get(prefix + "/archived", user.token()).expect(200).json()));
            assertEquals(List.of(id), ids(api.get(prefix + "/archived/?page=1", user.token()).expect(200).json()));
            api.get(prefix + "/" + id, user.token()).expect(200);
            assertFalse(api.post(prefix + "/" + id + "/archive", user.token(), null).expect(200).json().get("archived").asBoolean());
            assertEquals(2, api.get(prefix + "/", user.token()).json().size());
            assertEquals(0, api.get(prefix + "/archived", user.token()).json().size());

            api.post(prefix + "/" + id + "/pin", other.token(), null).expectError(404);
            api.post(prefix + "/" + id + "/archive", other.token(), null).expectError(404);
            api.get(prefix + "/" + id + "/pinned", other.token()).expectError(404);
            api.post(prefix + "/no-such-chat/pin", user.token(), null).expectError(404);
            assertEquals(0, api.get(prefix + "/pinned", other.token()).json().size());
            assertEquals(0, api.get(prefix + "/archived", other.token()).json().size());
        }
        api.post("/api/chats/" + id + "/pin", server.admin().token(), null).expectError(404);
        api.get("/api/chats/pinned", null).expectError(401);
    }
}
