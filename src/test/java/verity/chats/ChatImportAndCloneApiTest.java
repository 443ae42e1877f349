package verity.chats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.chats.ChatFixtures.PREFIXES;
import static verity.chats.ChatFixtures.chat;
import static verity.chats.ChatFixtures.create;
import static verity.chats.ChatFixtures.createId;
import static verity.chats.ChatFixtures.ids;
import static verity.chats.ChatFixtures.nowSeconds;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Chats: the full export (/all), import, clone, and removal together with their owner. */
@ParameterizedClass
@EnumSource(Db.class)
class ChatImportAndCloneApiTest {
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
    void all_returns_own_chats_with_their_bodies_including_archived_ones() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        String a = createId(api, user.token(), "A", "alpha");
        String b = createId(api, user.token(), "B", "beta");
        api.post("/api/chats/" + b + "/archive", user.token(), null).expect(200);
        createId(api, other.token(), "C", "gamma");
        for (String prefix : PREFIXES) {
            JsonNode all = api.get(prefix + "/all", user.token()).expect(200).json();
            assertEquals(2, all.size());
            assertTrue(ids(all).containsAll(List.of(a, b)));
            for (JsonNode c : all) {
                assertEquals(user.id(), c.get("user_id").asString());
                assertTrue(c.get("chat").isObject());
                assertEquals(c.get("title").asString().equals("A") ? "alpha" : "beta",
                        c.get("chat").get("messages").get(0).get("content").asString());
            }
        }
    }

    @Test
    void import_keeps_flags_and_timestamps_and_validates_every_item_first() {
        Api.Account user = server.newUser("user");
        String body = "{\"chats\":[{\"chat\":{\"title\":\"Old\",\"messages\":[{\"content\":\"hi\"}],\"n\":1.0},"
                + "\"pinned\":true,\"created_at\":123,\"updated_at\":456},{\"chat\":{}}]}";
        long before = nowSeconds();
        for (String prefix : PREFIXES) {
            JsonNode r = api.postRaw(prefix + "/import/", user.token(), body).expect(200).json();
            assertEquals(2, r.size());
            JsonNode first = r.get(0);
            assertEquals("Old", first.get("title").asString());
            assertEquals(user.id(), first.get("user_id").asString());
            assertTrue(first.get("pinned").asBoolean());
            assertEquals(123, first.get("created_at").asLong());
            assertEquals(456, first.get("updated_at").asLong());
            assertEquals(Json.read("{\"title\":\"Old\",\"messages\":[{\"content\":\"hi\"}],\"n\":1.0}"), first.get("chat"));
            JsonNode second = r.get(1);
            assertEquals("New Chat", second.get("title").asString());
            assertFalse(second.get("pinned").asBoolean());
            assertTrue(second.get("created_at").asLong() >= before);
            assertNotEquals(first.get("id").asString(), second.get("id").asString());
            JsonNode stored = api.get("/api/chats/" + first.get("id").asString(), user.token()).expect(200).json();
            assertEquals(456, stored.get("updated_at").asLong());
            assertTrue(stored.get("pinned").asBoolean());
        }
        assertEquals(4, api.get("/api/chats/", user.token()).json().size());
        assertEquals(0, api.post("/api/chats/import", user.token(), Map.of("chats", List.of())).expect(200).json().size());
        String folder = UUID.randomUUID().toString();
        JsonNode inFolder = api.post("/api/chats/import", user.token(), Map.of("chats", List.of(
                Map.of("chat", Map.of("title", "Filed"), "folder_id", folder)))).expect(200).json().get(0);
        assertEquals(folder, inFolder.get("folder_id").asString());
        api.delete("/api/chats/" + inFolder.get("id").asString(), user.token()).expect(200);

        Api.Res noChat = api.postRaw("/api/chats/import", user.token(),
                "{\"chats\":[{\"chat\":{\"title\":\"ok\"}},{\"pinned\":true}]}").expectError(422);
        assertEquals(Json.read("[\"body\",\"chats\",\"1\",\"chat\"]"), noChat.json().get("detail").get(0).get("loc"));
        api.postRaw("/api/chats/import", user.token(), "{\"chats\":[{\"chat\":[1]}]}").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "{\"chats\":[\"x\"]}").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "{\"chats\":{\"chat\":{}}}").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "{\"chats\":\"x\"}").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "{}").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "[]").expectError(422);
        api.postRaw("/api/chats/import", user.token(), "{\"chats\":[").expectError(400);
        Api.Res hugeTime = api.postRaw("/api/chats/import", user.token(),
                "{\"chats\":[{\"chat\":{},\"created_at\":99999999999999999999999}]}").expectError(422);
        assertEquals("created_at", hugeTime.json().get("detail").get(0).get("loc").get(3).asString());
        api.postRaw("/api/chats/import", user.token(),
                "{\"chats\":[{\"chat\":{},\"folder_id\":\"" + "f".repeat(37) + "\"}]}").expectError(422);
        assertEquals(4, api.get("/api/chats/", user.token()).json().size(), "a rejected import creates nothing");
        api.postRaw("/api/chats/import", null, body).expectError(401);
    }

    @Test
    void clone_copies_the_content_under_a_new_id_and_title() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String source = chat("Plan", "step one");
        String id = create(api, owner.token(), source).json().get("id").asString();
        for (String prefix : PREFIXES) {
            Api.Res copy = api.post(prefix + "/" + id + "/clone", owner.token(), null).expect(200);
            assertNotEquals(id, copy.json().get("id").asString());
            assertEquals("Clone of Plan", copy.json().get("title").asString());
            assertEquals(owner.id(), copy.json().get("user_id").asString());
            ObjectNode expected = (ObjectNode) Json.read(source);
            expected.put("title", "Clone of Plan");
            assertEquals(expected, copy.json().get("chat"));
            assertFalse(copy.json().get("pinned").asBoolean());

            Api.Res named = api.post(prefix + "/" + id + "/clone/", owner.token(), Map.of("title", "My copy")).expect(200);
            assertEquals("My copy", named.json().get("title").asString());
            assertEquals("My copy", named.json().get("chat").get("title").asString());
            assertEquals("Clone of Plan", api.post(prefix + "/" + id + "/clone", owner.token(), Map.of()).expect(200)
                    .json().get("title").asString());
            api.post(prefix + "/" + id + "/clone", owner.token(), Map.of("title", 5)).expectError(422);
            api.postRaw(prefix + "/" + id + "/clone", owner.token(), "{\"title\":").expectError(400);
            api.post(prefix + "/" + id + "/clone", other.token(), null).expectError(404);
            api.post(prefix + "/no-such-chat/clone", owner.token(), null).expectError(404);
        }
        assertEquals("Plan", api.get("/api/chats/" + id, owner.token()).json().get("title").asString(), "the source is untouched");
        assertEquals(7, api.get("/api/chats/", owner.token()).json().size());
        assertEquals(0, api.get("/api/chats/", other.token()).json().size());

        Api.Account admin = server.admin();
        Api.Res byAdmin = api.post("/api/chats/" + id + "/clone", admin.token(), null).expect(200);
        String adminCopy = byAdmin.json().get("id").asString();
        assertEquals(admin.id(), byAdmin.json().get("user_id").asString(), "an admin's clone belongs to the admin");
        assertEquals("step one", byAdmin.json().get("chat").get("messages").get(0).get("content").asString());
        assertFalse(ids(api.get("/api/chats/", owner.token()).json()).contains(adminCopy));
        api.get("/api/chats/" + adminCopy, owner.token()).expectError(404);
        api.delete("/api/chats/" + adminCopy, admin.token()).expect(200);

        String untitled = create(api, owner.token(), "{\"messages\":[]}").json().get("id").asString();
        assertEquals("Clone of New Chat", api.post("/api/chats/" + untitled + "/clone", owner.token(), null).expect(200)
                .json().get("title").asString());
    }

    @Test
    void deleting_a_user_removes_their_chats() {
        Api.Account admin = server.admin();
        Api.Account user = server.newUser("user");
        Api.Account reader = server.newUser("user");
        String id = createId(api, user.token(), "Gone soon", "x");
        api.post("/api/chats/" + id + "/tags", user.token(), Map.of("name", "Tagged")).expect(200);
        String shareId = api.post("/api/chats/" + id + "/share", user.token(), null).expect(200).json().get("share_id").asString();
        api.get("/api/chats/" + id, admin.token()).expect(200);
        api.get("/api/chats/share/" + shareId, reader.token()).expect(200);

        api.delete("/api/users/" + user.id(), admin.token()).expect(200);
        api.get("/api/chats/" + id, admin.token()).expectError(404);
        api.get("/api/v1/chats/" + id, admin.token()).expectError(404);
        api.get("/api/chats/share/" + shareId, reader.token()).expectError(404);
    }
}
