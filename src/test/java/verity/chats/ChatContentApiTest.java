package verity.chats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.chats.ChatFixtures.create;
import static verity.chats.ChatFixtures.ids;
import static verity.chats.ChatFixtures.update;
import static verity.chats.ChatFixtures.wrap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** How chat content is kept: key order, values byte for byte, strict UTF-8 and search over every value. */
@ParameterizedClass
@EnumSource(Db.class)
class ChatContentApiTest {
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
    void stored_keys_keep_their_place_and_new_keys_go_last() {
        Api.Account user = server.newUser("user");
        String id = create(api, user.token(), "{\"b\":1,\"title\":\"Order\",\"a\":2}").json().get("id").asString();
        String merged = "{\"b\":1,\"title\":\"Order\",\"a\":20,\"d\":4,\"c\":30}";
        Api.Res r = update(api, user.token(), id, "{\"d\":4,\"a\":20,\"c\":30}").expect(200);
        assertTrue(r.body().contains("\"chat\":" + merged), r.body());
        assertTrue(api.get("/api/chats/" + id, user.token()).expect(200).body().contains("\"chat\":" + merged));
        Api.Res again = update(api, user.token(), id, "{\"c\":null,\"b\":[]}").expect(200);
        assertTrue(again.body().contains("\"chat\":{\"b\":[],\"title\":\"Order\",\"a\":20,\"d\":4,\"c\":null}"), again.body());
    }

    @Test
    void values_not_sent_come_back_byte_for_byte() {
        Api.Account user = server.newUser("user");
        String kept = "{ \"k\" : \"v\\u00e9 \\\"q\\\"\", \"n\": 1.50e0, \"big\": 12345678901234567890 }";
        String id = create(api, user.token(), "{\"title\":\"Kept\",\"kept\":" + kept + ",\"list\":[1]}").json().get("id").asString();
        Api.Res r = update(api, user.token(), id, "{\"list\":[1,2]}").expect(200);
        assertTrue(r.body().contains("\"kept\":" + kept + ",\"list\":[1,2]"), r.body());
        assertEquals("Kept", r.json().get("title").asString());
        Api.Res renamed = update(api, user.token(), id, "{\"title\":\"Renamed\"}").expect(200);
        assertTrue(renamed.body().contains("\"chat\":{\"title\":\"Renamed\",\"kept\":" + kept + ",\"list\":[1,2]}"), renamed.body());
        assertEquals("Renamed", api.get("/api/chats/", user.token()).json().get(0).get("title").asString());
    }

    @Test
    void a_body_that_is_not_utf8_is_a_400_and_changes_nothing() {
        Api.Account user = server.newUser("user");
        String id = create(api, user.token(), "{\"title\":\"Clean\",\"messages\":[]}").json().get("id").asString();
        String before = api.get("/api/chats/" + id, user.token()).body();
        byte[][] invalid = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}};
        for (byte[] seq : invalid) {
            for (String path : List.of("/api/chats/" + id, "/api/v1/chats/new")) {
                byte[] body = concat(wrap("{\"title\":\"Dirty ").getBytes(StandardCharsets.UTF_8), seq, "\"}}".getBytes(StandardCharsets.UTF_8));
                Api.Res r = api.postBytes(path, user.token(), body).expectError(400);
                assertTrue(r.json().get("detail").asString().contains("UTF-8"), r.body());
            }
        }
        api.postRaw("/api/chats/" + id, user.token(), wrap("{\"title\":\"x\u0000\"}")).expectError(400);
        assertEquals(before, api.get("/api/chats/" + id, user.token()).body());
        assertEquals(List.of(id), ids(api.get("/api/chats/", user.token()).json()));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void search_finds_words_in_any_value_after_updates() {
        Api.Account user = server.newUser("user");
        String id = create(api, user.token(), "{\"title\":\"Plain\",\"messages\":[{\"content\":\"first draft\"}]}")
                .json().get("id").asString();
        assertEquals(List.of(id), search(user, "draft"));
        update(api, user.token(), id, "{\"messages\":[{\"content\":\"Final Version\"}],\"notes\":{\"text\":\"Zebra\"}}").expect(200);
        assertEquals(List.of(), search(user, "draft"));
        assertEquals(List.of(id), search(user, "final version"));
        assertEquals(List.of(id), search(user, "zebra plain"), "words may sit in different keys and the title");
    }

    private List<String> search(Api.Account user, String text) {
        return ids(api.get("/api/chats/search?text=" + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8), user.token())
                .expect(200).json());
    }

    @Test
    void shared_cloned_listed_and_imported_chats_carry_the_same_content() {
        Api.Account user = server.newUser("user");
        String chat = "{\"title\":\"Source\",\"x\":{\"deep\" : [1, 2]},\"y\":\"ü\"}";
        String id = create(api, user.token(), chat).json().get("id").asString();
        String shareId = api.post("/api/chats/" + id + "/share", user.token(), null).expect(200).json().get("share_id").asString();
        assertTrue(api.get("/api/chats/share/" + shareId, user.token()).expect(200).body().contains("\"chat\":" + chat));
        Api.Res clone = api.post("/api/chats/" + id + "/clone", user.token(), null).expect(200);
        assertTrue(clone.body().contains("\"chat\":{\"title\":\"Clone of Source\",\"x\":{\"deep\" : [1, 2]},\"y\":\"ü\"}"), clone.body());
        Api.Res all = api.get("/api/chats/all", user.token()).expect(200);
        assertEquals(2, all.json().size());
        assertTrue(all.body().contains("\"chat\":" + chat), all.body());
        assertEquals("application/json", all.header("Content-Type"));
        Api.Res pinned = api.post("/api/chats/" + id + "/pin", user.token(), null).expect(200);
        assertTrue(pinned.body().contains("\"chat\":" + chat), pinned.body());
    }
}
